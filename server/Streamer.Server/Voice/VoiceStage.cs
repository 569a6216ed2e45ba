using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Streamer.Media.Codecs;
using Streamer.Server.Chat;
using Streamer.Server.Pipeline;
using Streamer.Server.Sessions;

namespace Streamer.Server.Voice;

/// <summary>
/// One session's spoken questions. The listening loop decodes the Opus packets (48 kHz, mixed to
/// mono), resamples them to 16 kHz and runs the <see cref="VoiceActivityDetector"/>: speech that
/// starts while an answer of the session is queued or streaming interrupts it (barge-in), and a
/// cut utterance goes on a bounded queue. The asking loop submits each utterance to the
/// <see cref="AnswerService"/> like a text question and pushes the answer to the session's group
/// (<see cref="IChatClient.VoiceQuestion"/>, then <see cref="IChatClient.VoiceAnswer"/> chunks).
/// The two loops are separate so speech is still heard while an answer streams.
/// </summary>
public sealed class VoiceStage
{
    private const int InputRate = OpusDecoder.SampleRate;

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
            using var decoder = new OpusDecoder(1);
            var resampler = new PolyphaseResampler(InputRate, VoiceActivityDetector.SampleRate);
            var detector = new VoiceActivityDetector(_options);
            var pcm = new short[OpusDecoder.MaxFrameSize];
            var samples = new float[OpusDecoder.MaxFrameSize];
            var resampled = new float[resampler.MaxOutputLength(OpusDecoder.MaxFrameSize)];
            var events = new List<VoiceActivityEvent>();
            double? start = null;
            await foreach (var frame in opus.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                using (frame)
                {
                    Metrics.RecordIn();
                    Stats.Packet();
                    var began = _time.GetTimestamp();
                    // The audio's clock starts with its first packet; samples count on from there.
                    start ??= MediaSeconds();
                    var decoded = decoder.Decode(frame.Data.Span, pcm);
                    if (decoded < 0)
                    {
                        Reject(OpusDecoder.ErrorText(decoded));
                        continue;
                    }
                    for (var i = 0; i < decoded; i++) samples[i] = pcm[i] / 32768f;
                    var written = resampler.Process(samples.AsSpan(0, decoded), resampled);
                    detector.Process(resampled.AsSpan(0, written), events);
                    Handle(events, start.Value);
                    Metrics.RecordLatency(_time.GetElapsedTime(began));
                    Metrics.RecordOut();
                }
            }
            detector.Flush(events);
            Handle(events, start ?? 0);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            _utterances.Writer.TryComplete();
        }
    }

    private void Handle(List<VoiceActivityEvent> events, double start)
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
                        _logger.LogInformation("Session {Id}: speech at {Time:F2} s interrupted the answer", _session.Id, start + Seconds(e.StartSample));
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
                    _utterances.Writer.TryWrite(new SpokenUtterance(e.Samples!, start + Seconds(e.StartSample), e.DurationSeconds, e.End));
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

    private static double Seconds(long samples) => samples / (double)VoiceActivityDetector.SampleRate;
}
