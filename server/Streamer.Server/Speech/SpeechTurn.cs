using Streamer.Media.WebRtc;
using Streamer.Models.Generation;
using Streamer.Models.Qwen25Omni;
using Streamer.Models.Speech;
using Streamer.Server.Chat;
using Streamer.Server.Pipeline;

namespace Streamer.Server.Speech;

/// <summary>
/// Speaks one answer while its text is generated: the thinker fills <see cref="Feed"/>, the
/// synthesis stage turns it into 24 kHz chunks on a bounded lossless channel, and the send stage
/// hands them to the peer's <see cref="AudioSender"/>. Text never waits for speech. Cancelling the
/// answer (interrupt, client gone) stops both stages within one chunk and drops the sender's
/// queued audio, so the next answer starts clean. Owns the feed.
/// </summary>
public sealed class SpeechTurn : IAsyncDisposable
{
    private readonly LoadedSpeech _speech;
    private readonly AudioSender _sender;
    private readonly string _speaker;
    private readonly long _seed;
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly CancellationTokenSource _stop;
    private readonly CancellationTokenRegistration _interrupt;
    private readonly Task _run;
    private long _samples;
    private double? _firstAudioMs;
    private string _outcome = "spoken";
    private int _codes;

    internal SpeechTurn(LoadedSpeech speech, TalkerReplyFeed feed, AudioSender sender, string speaker, long seed, int chunkQueue,
        StageMetrics synthesis, StageMetrics send, TimeProvider time, long started, CancellationToken answerCancelled)
    {
        _speech = speech;
        _sender = sender;
        _speaker = speaker;
        _seed = seed;
        _time = time;
        _started = started;
        Feed = feed;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(answerCancelled);
        // The interrupt reaches the wire at once, whatever chunk the synthesizer is computing.
        _interrupt = answerCancelled.Register(static s => ((AudioSender)s!).Interrupt(), sender);
        var audio = StageChannel.Create<Token2WavAudioChunk>(ChannelSpec.Lossless("speech-audio", chunkQueue), send);
        _run = Task.WhenAll(
            Task.Run(() => SynthesizeAsync(audio.Writer, synthesis, _stop.Token), CancellationToken.None),
            Task.Run(() => SendAsync(audio.Reader, send, _stop.Token), CancellationToken.None));
    }

    /// <summary>Where the thinker writes the reply as it generates it.</summary>
    public TalkerReplyFeed Feed { get; }

    /// <summary>Waits for the speech stages (synthesis, not playback) and writes the outcome into the answer's metadata.</summary>
    public async Task CompleteAsync(AnswerMetadata metadata)
    {
        try
        {
            await _run.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            _outcome = "interrupted";
        }
        catch (Exception ex)
        {
            // A bad voice or a code outside the DiT table ends the speech, not the answer or the session.
            _outcome = "failed: " + ex.Message;
        }
        var limit = _speech.Synthesizer.Options.Talker.MaxNewTokens;
        if (_outcome == "spoken" && _codes >= limit) _outcome = $"spoken; stopped at the limit of {limit} codes (Speech:MaxCodes, Speech:NoiseFrames)";
        metadata.Speech = _outcome;
        metadata.Speaker = _speaker;
        metadata.AudioSeconds = Math.Round((double)Interlocked.Read(ref _samples) / Token2WavAudioChunk.SampleRate, 3);
        metadata.FirstAudioMilliseconds = _firstAudioMs;
    }

    /// <summary>What went wrong, for the log; null when the speech ended normally or was interrupted.</summary>
    public string? Failure => _outcome.StartsWith("failed", StringComparison.Ordinal) ? _outcome : null;

    private async Task SynthesizeAsync(System.Threading.Channels.ChannelWriter<Token2WavAudioChunk> audio, StageMetrics metrics, CancellationToken ct)
    {
        try
        {
            var last = _time.GetTimestamp();
            await foreach (var chunk in _speech.Synthesizer.SynthesizeAsync(Feed, _speaker, _seed, ct).ConfigureAwait(false))
            {
                metrics.RecordIn();
                metrics.RecordLatency(_time.GetElapsedTime(last));
                await audio.WriteAsync(chunk, ct).ConfigureAwait(false);
                metrics.RecordOut();
                last = _time.GetTimestamp();
            }
            _codes = (int)Math.Min(int.MaxValue, Interlocked.Read(ref _samples) / Math.Max(1, _speech.Repeats * _speech.HopLength));
            audio.TryComplete();
        }
        catch (Exception ex)
        {
            audio.TryComplete(ex);
            throw;
        }
    }

    private async Task SendAsync(System.Threading.Channels.ChannelReader<Token2WavAudioChunk> audio, StageMetrics metrics, CancellationToken ct)
    {
        await foreach (var chunk in audio.ReadAllAsync(ct).ConfigureAwait(false))
        {
            metrics.RecordIn();
            var began = _time.GetTimestamp();
            if (chunk.Samples.Length > 0 || chunk.IsLast)
            {
                await _sender.EnqueueAsync(chunk.Samples, endOfAnswer: chunk.IsLast, ct).ConfigureAwait(false);
                if (chunk.Samples.Length > 0 && _firstAudioMs is null)
                    _firstAudioMs = Math.Round(_time.GetElapsedTime(_started).TotalMilliseconds, 1);
                Interlocked.Add(ref _samples, chunk.Samples.Length);
            }
            metrics.RecordLatency(_time.GetElapsedTime(began));
            metrics.RecordOut();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _run.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Already reported by CompleteAsync, or the answer failed first and says why.
        }
        await _interrupt.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
        Feed.Dispose();
    }
}
