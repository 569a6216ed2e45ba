using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Streamer.Models.Generation;
using Streamer.Server.Chat;
using Streamer.Server.Models;
using Streamer.Server.Sessions;
using Streamer.Server.WebRtc;

namespace Streamer.Server.Speech;

/// <summary>
/// Decides whether and in which voice an answer is spoken, starts its <see cref="SpeechTurn"/>,
/// lets it speak on after the answer's text is done, and stops a session's audio on interrupt.
/// A session speaks one answer at a time: a new answer's speech stops the previous one.
/// </summary>
public sealed class SpeechService(SpeechHost host, IOptions<SpeechOptions> options, TimeProvider time, ILogger<SpeechService> logger,
    AudioOutMetrics metrics, IHubContext<ChatHub, IChatClient> hub)
{
    private readonly ConcurrentDictionary<string, SpeechTurn> _speaking = new(StringComparer.Ordinal);

    /// <summary>The audio-out instruments exist as long as answers can be spoken.</summary>
    public AudioOutMetrics Metrics { get; } = metrics;

    private long _answers;

    /// <summary>Chooses the session's voice; the error lists the available voices.</summary>
    /// <exception cref="HubException">speech is unavailable, the session has no audio track, or the voice is unknown.</exception>
    public string SetSpeaker(Session session, string? name)
    {
        var speech = host.Current ?? throw new HubException($"Speech is {host.Status}; answers are text only.");
        if (session is not WebRtcSession webRtc) throw new HubException($"Session '{session.Id}' has no WebRTC audio track to speak on.");
        if (string.IsNullOrWhiteSpace(name) || !speech.Speakers.TryGet(name, out _))
            throw new HubException($"Unknown speaker '{name}'; available: {string.Join(", ", speech.Speakers.Names)}.");
        webRtc.Speaker = name;
        return name;
    }

    /// <summary>
    /// Starts speaking an answer when the session can hear it; otherwise writes why not into
    /// <paramref name="metadata"/> and returns null (the answer is text only).
    /// </summary>
    public SpeechTurn? Begin(Session? session, LoadedThinker thinker, AnswerMetadata metadata, long started)
    {
        if (!options.Value.Enabled)
        {
            metadata.Speech = "off (Speech:Enabled is false)";
            return null;
        }
        if (host.Current is not { } speech)
        {
            metadata.Speech = host.Status == "loading" ? "unavailable: the speech models are still loading; answers are text only" : host.Status;
            return null;
        }
        if (session is not WebRtcSession { Peer.AudioSender: { } sender } webRtc)
        {
            metadata.Speech = "no audio track";
            return null;
        }
        if (_speaking.TryGetValue(session.Id, out var previous)) previous.Stop();
        var speaker = webRtc.Speaker ?? speech.DefaultSpeaker;
        var feed = new TalkerReplyFeed(thinker.Thinker);
        try
        {
            var id = Interlocked.Increment(ref _answers);
            return new SpeechTurn(speech, feed, sender, speaker, options.Value.Seed + id, options.Value.ChunkQueue, webRtc.SpeechSynthesis, webRtc.SpeechSend,
                time, started) { Id = id };
        }
        catch
        {
            feed.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Takes the turn over once the answer's text is done: writes where the speech stands into the
    /// last chunk's metadata, lets it finish, then tells the session's group how it ended.
    /// </summary>
    public void Continue(Session session, SpeechTurn turn, AnswerMetadata metadata)
    {
        turn.Describe(metadata);
        _speaking[session.Id] = turn;
        _ = FinishAsync(session, turn);
    }

    private async Task FinishAsync(Session session, SpeechTurn turn)
    {
        try
        {
            var outcome = await turn.CompleteAsync().ConfigureAwait(false);
            if (turn.Failure is { } failure) logger.LogWarning("Speech of session {Id} failed: {Failure}", session.Id, failure);
            else logger.LogInformation("Speech of session {Id}: {Outcome}, {Seconds} s of audio", session.Id, outcome, turn.AudioSeconds);
            await hub.Clients.Group(ChatHub.GroupName(session.Id)).SpeechEnded(new SpeechEndedEvent
            {
                SessionId = session.Id,
                SpeechId = turn.Id,
                Speech = outcome,
                Speaker = turn.Speaker,
                AudioSeconds = turn.AudioSeconds,
                FirstAudioMilliseconds = turn.FirstAudioMilliseconds,
            }).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not report the end of session {Id}'s speech", session.Id);
        }
        finally
        {
            _speaking.TryRemove(new KeyValuePair<string, SpeechTurn>(session.Id, turn));
            await turn.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Stops what the session is saying, including the speech of answers whose text is done.</summary>
    public void Interrupt(Session session)
    {
        if (_speaking.TryGetValue(session.Id, out var turn)) turn.Stop();
        if (session is WebRtcSession { Peer.AudioSender: { } sender })
        {
            sender.Interrupt();
            logger.LogDebug("Speech of session {Id} interrupted", session.Id);
        }
    }
}
