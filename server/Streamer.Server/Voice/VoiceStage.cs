using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Streamer.Media.Codecs;
using Streamer.Server.Chat;
using Streamer.Server.Pipeline;
using Streamer.Server.Sessions;

namespace Streamer.Server.Voice;

/// <summary>
/// One session's spoken questions. The listening loop hands the Opus packets to a
/// <see cref="VoiceListener"/> (lost packets concealed on the RTP clock, 16 kHz voice activity
/// detection): speech that
/// starts while an answer of the session is queued or streaming interrupts it (barge-in), and a
/// cut utterance goes on a bounded queue. The asking loop submits each utterance to the
/// <see cref="AnswerService"/> like a text question and pushes the answer to the session's group
/// (<see cref="IChatClient.VoiceQuestion"/>, then <see cref="IChatClient.VoiceAnswer"/> chunks).
/// The two loops are separate so speech is still heard while an answer streams.
/// </summary>
public sealed class VoiceStage
{
    private readonly Session _session;
    private readonly VoiceOptions _options;
    private readonly AnswerService _answers;
    private readonly IHubContext<ChatHub, IChatClient> _hub;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<SpokenUtterance> _utterances;
    private int _questions;

    public VoiceStage(Session session, VoiceOptions options, AnswerService answers, IHubContext<ChatHub, IChatClient> hub, TimeProvider time, ILogger logger)
    {
        _session = session;
        _options = options;
        _answers = answers;
        _hub = hub;
        _time = time;
        _logger = logger;
        _utterances = Channel.CreateBounded<SpokenUtterance>(
            new BoundedChannelOptions(options.UtteranceQueue) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true },
            _ =>
            {
                Stats.UtteranceDropped();
                _logger.LogWarning("Session {Id}: a spoken question was dropped, {Queue} were already waiting (Voice:UtteranceQueue)", _session.Id, _options.UtteranceQueue);
            });
    }

    public VoiceStats Stats { get; } = new();

    public StageMetrics Metrics { get; } = new("voice");

    /// <summary>Runs until <paramref name="opus"/> completes (the peer ended) or the session ends.</summary>
    public Task RunAsync(ChannelReader<EncodedFrame> opus, CancellationToken cancellationToken) =>
        Task.WhenAll(ListenAsync(opus, cancellationToken), AskAsync(cancellationToken));

    private async Task ListenAsync(ChannelReader<EncodedFrame> opus, CancellationToken cancellationToken)
    {
        try
        {
            using var listener = new VoiceListener(_options, Stats);
            var events = new List<VoiceActivityEvent>();
            await foreach (var frame in opus.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                using (frame)
                {
                    Metrics.RecordIn();
                    var began = _time.GetTimestamp();
                    var outcome = listener.Receive(frame.Data.Span, frame.RtpTimestamp, MediaSeconds(), events);
                    Handle(events, listener);
                    if (outcome == OpusPacketOutcome.Rejected) Reject(OpusDecoder.ErrorText(listener.LastError));
                    Metrics.RecordLatency(_time.GetElapsedTime(began));
                    if (outcome == OpusPacketOutcome.Late) Metrics.RecordDropped();
                    else Metrics.RecordOut();
                }
            }
            listener.Flush(events);
            Handle(events, listener);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            _utterances.Writer.TryComplete();
        }
    }

    private void Handle(List<VoiceActivityEvent> events, VoiceListener listener)
    {
        foreach (var e in events)
        {
            switch (e.Kind)
            {
                case VoiceActivityKind.SpeechStarted:
                    // Barge-in: the same interrupt as the hub's, so whatever hangs off the answer (speech too) stops.
                    if (_answers.IsAnswering(_session.Id) && _answers.Interrupt(_session.Owner, _session.Id) > 0)
                    {
                        Stats.BargeIn();
                        _logger.LogInformation("Session {Id}: speech at {Time:F2} s interrupted the answer", _session.Id, listener.MediaTime(e.StartSample));
                    }
                    break;
                case VoiceActivityKind.TooShort:
                    Stats.UtteranceTooShort();
                    break;
                case VoiceActivityKind.Utterance:
                    Stats.Utterance(e.End == UtteranceEnd.MaxLength);
                    if (e.End == UtteranceEnd.MaxLength)
                    {
                        _logger.LogWarning("Session {Id}: an utterance reached {Max} ms (Voice:MaxUtteranceMilliseconds); it is cut there and the rest until the next pause is ignored",
                            _session.Id, _options.MaxUtteranceMilliseconds);
                    }
                    _utterances.Writer.TryWrite(new SpokenUtterance(e.Samples!, listener.MediaTime(e.StartSample), e.DurationSeconds, e.End));
                    break;
            }
        }
        events.Clear();
    }

    private async Task AskAsync(CancellationToken cancellationToken)
    {
        var group = _hub.Clients.Group(ChatHub.GroupName(_session.Id));
        try
        {
            await foreach (var utterance in _utterances.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                var id = "v" + Interlocked.Increment(ref _questions).ToString(System.Globalization.CultureInfo.InvariantCulture);
                var question = new VoiceQuestionEvent
                {
                    SessionId = _session.Id,
                    QuestionId = id,
                    MediaTime = Math.Round(utterance.MediaTime, 3),
                    DurationSeconds = Math.Round(utterance.DurationSeconds, 3),
                    End = utterance.End switch { UtteranceEnd.MaxLength => "maxLength", UtteranceEnd.EndOfStream => "endOfStream", _ => "silence" },
                };
                AnswerJob job;
                try
                {
                    job = _answers.SubmitSpoken(_session, id, utterance.Samples, cancellationToken);
                }
                catch (HubException ex)
                {
                    question.Error = ex.Message;
                    _logger.LogInformation("Session {Id}: spoken question {Question} not asked: {Error}", _session.Id, id, ex.Message);
                    await group.VoiceQuestion(question).ConfigureAwait(false);
                    continue;
                }
                await group.VoiceQuestion(question).ConfigureAwait(false);
                await ForwardAsync(group, job, id, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task ForwardAsync(IChatClient group, AnswerJob job, string id, CancellationToken cancellationToken)
    {
        var finished = false;
        try
        {
            await foreach (var chunk in job.Chunks.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                finished = chunk.Done;
                await group.VoiceAnswer(new VoiceAnswerChunk
                {
                    SessionId = _session.Id,
                    QuestionId = id,
                    Text = chunk.Text,
                    Done = chunk.Done,
                    FrameTimes = chunk.FrameTimes,
                    Metadata = chunk.Metadata,
                }).ConfigureAwait(false);
            }
        }
        catch (HubException ex)
        {
            finished = true;
            await group.VoiceAnswer(new VoiceAnswerChunk { SessionId = _session.Id, QuestionId = id, Done = true, Error = ex.Message }).ConfigureAwait(false);
        }
        finally
        {
            if (!finished) job.Interrupt();
        }
    }

    private void Reject(string reason)
    {
        Stats.Rejected(reason);
        // The first bad packet is worth a warning; a broken stream would flood the log.
        if (Stats.PacketsRejected == 1) _logger.LogWarning("Session {Id}: an Opus packet did not decode ({Reason}); such packets are counted and skipped", _session.Id, reason);
        else _logger.LogDebug("Session {Id}: Opus packet did not decode ({Reason})", _session.Id, reason);
    }

    private double MediaSeconds() => (_time.GetUtcNow() - _session.CreatedAt).TotalSeconds;
}
