using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Streamer.Media.Codecs;
using Streamer.Server.Chat;
using Streamer.Server.Pipeline;
using Streamer.Server.Sessions;
using Streamer.Server.WebRtc;

namespace Streamer.Server.Voice;

/// <summary>
/// Gives every WebRTC session whose browser sends audio a <see cref="VoiceStage"/> (unless
/// Voice:Enabled is false), run under the supervisor until the session ends.
/// </summary>
public sealed class VoiceSessions : IHostedService
{
    private readonly ConcurrentDictionary<string, VoiceStage> _stages = new(StringComparer.Ordinal);
    private readonly SessionRegistry _sessions;
    private readonly PipelineSupervisor _supervisor;
    private readonly AnswerService _answers;
    private readonly IHubContext<ChatHub, IChatClient> _hub;
    private readonly IOptions<VoiceOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<VoiceStage> _logger;

    public VoiceSessions(SessionRegistry sessions, PipelineSupervisor supervisor, AnswerService answers, IHubContext<ChatHub, IChatClient> hub,
        IOptions<VoiceOptions> options, TimeProvider time, ILogger<VoiceStage> logger)
    {
        _sessions = sessions;
        _supervisor = supervisor;
        _answers = answers;
        _hub = hub;
        _options = options;
        _time = time;
        _logger = logger;
        // Subscribed at construction so no session added during start-up is missed.
        sessions.Added += Attach;
    }

    /// <summary>The voice stage of session <paramref name="id"/> while it runs.</summary>
    public VoiceStage? Find(string id) => _stages.GetValueOrDefault(id);

    /// <summary>Starts listening to <paramref name="opus"/> as the session's microphone; the stage stops when the session ends.</summary>
    public VoiceStage Start(Session session, ChannelReader<EncodedFrame> opus)
    {
        var stage = new VoiceStage(session, _options.Value, _answers, _hub, _time, _logger);
        if (!_stages.TryAdd(session.Id, stage)) throw new InvalidOperationException($"Session '{session.Id}' already has a voice stage.");
        session.Ended.Register(() => _stages.TryRemove(new KeyValuePair<string, VoiceStage>(session.Id, stage)));
        _ = _supervisor.Start($"voice {session.Id}", async ct =>
        {
            await stage.RunAsync(opus, ct).ConfigureAwait(false);
            _logger.LogInformation("Voice of session {Id} ended: {Utterances} questions, {BargeIns} barge-ins, {TooShort} too short, {Rejected} bad packets, {Late} late packets, {ConcealedMs} ms concealed",
                session.Id, stage.Stats.Utterances, stage.Stats.BargeIns, stage.Stats.TooShort, stage.Stats.PacketsRejected, stage.Stats.PacketsLate, stage.Stats.ConcealedSamples / (OpusDecoder.SampleRate / 1000));
        }, session.Ended);
        return stage;
    }

    private void Attach(Session session)
    {
        if (!_options.Value.Enabled || session is not WebRtcSession webRtc || webRtc.Peer.AudioMedia is null) return;
        Start(session, webRtc.Peer.AudioFrames);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _sessions.Added -= Attach;
        return Task.CompletedTask;
    }
}
