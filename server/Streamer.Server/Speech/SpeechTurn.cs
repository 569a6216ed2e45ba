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
/// hands them to the peer's <see cref="AudioSender"/>. Text never waits for speech: the turn goes
/// on after the answer's last text chunk. <see cref="Stop"/> (interrupt) stops both stages within
/// one chunk and drops the sender's queued audio, so the next answer starts clean. Owns the feed.
/// </summary>
public sealed class SpeechTurn : IAsyncDisposable
{
    private readonly LoadedSpeech _speech;
    private readonly AudioSender _sender;
    private readonly string _speaker;
    private readonly long _seed;
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;
    private long _samples;
    private long _synthesized;
    private double? _firstAudioMs;
    private string? _outcome;

    internal SpeechTurn(LoadedSpeech speech, TalkerReplyFeed feed, AudioSender sender, string speaker, long seed, int chunkQueue,
        StageMetrics synthesis, StageMetrics send, TimeProvider time, long started)
    {
        _speech = speech;
        _sender = sender;
        _speaker = speaker;
        _seed = seed;
        _time = time;
        _started = started;
        Feed = feed;
        Speaker = speaker;
        var audio = StageChannel.Create<Token2WavAudioChunk>(ChannelSpec.Lossless("speech-audio", chunkQueue), send);
        _run = Task.WhenAll(
            Task.Run(() => SynthesizeAsync(audio.Writer, synthesis, _stop.Token), CancellationToken.None),
            Task.Run(() => SendAsync(audio.Reader, send, _stop.Token), CancellationToken.None));
    }

    /// <summary>Where the thinker writes the reply as it generates it.</summary>
    public TalkerReplyFeed Feed { get; }

    public string Speaker { get; }

    /// <summary>Names this turn in the answer's metadata and in its SpeechEnded event, so a client can pair them.</summary>
    public long Id { get; init; }

    /// <summary>Seconds of audio handed to the sender so far.</summary>
    public double AudioSeconds => Math.Round((double)Interlocked.Read(ref _samples) / Token2WavAudioChunk.SampleRate, 3);

    /// <summary>Milliseconds from the question's start to the first audio handed to the sender; null before.</summary>
    public double? FirstAudioMilliseconds => _firstAudioMs;

    /// <summary>Stops synthesis and sending within one chunk; the audio already queued on the wire is dropped at once.</summary>
    public void Stop()
    {
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
        // The interrupt reaches the wire at once, whatever chunk the synthesizer is computing.
        _sender.Interrupt();
    }

    /// <summary>Writes where the speech stands into an answer's metadata: "speaking" while it goes on.</summary>
    public void Describe(AnswerMetadata metadata)
    {
        metadata.Speech = _outcome ?? (_stop.IsCancellationRequested ? "interrupted" : "speaking");
        metadata.SpeechId = Id;
        metadata.Speaker = Speaker;
        metadata.AudioSeconds = AudioSeconds;
        metadata.FirstAudioMilliseconds = _firstAudioMs;
    }

    /// <summary>Waits for the speech stages (synthesis, not playback) and says how the speech ended.</summary>
    public async Task<string> CompleteAsync()
    {
        string outcome;
        try
        {
            await _run.ConfigureAwait(false);
            var limit = _speech.Synthesizer.Options.Talker.MaxNewTokens;
            var codes = Interlocked.Read(ref _synthesized) / Math.Max(1, _speech.Repeats * _speech.HopLength);
            outcome = codes >= limit ? $"spoken; stopped at the limit of {limit} codes (Speech:MaxCodes, Speech:NoiseFrames)" : "spoken";
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            outcome = "interrupted";
        }
        catch (Exception ex)
        {
            // A bad voice or a code outside the DiT table ends the speech, not the answer or the session.
            outcome = "failed: " + ex.Message;
        }
        _outcome = outcome;
        return outcome;
    }

    /// <summary>What went wrong, for the log; null when the speech ended normally or was interrupted.</summary>
    public string? Failure => _outcome is { } outcome && outcome.StartsWith("failed", StringComparison.Ordinal) ? outcome : null;

    private async Task SynthesizeAsync(System.Threading.Channels.ChannelWriter<Token2WavAudioChunk> audio, StageMetrics metrics, CancellationToken ct)
    {
        try
        {
            var last = _time.GetTimestamp();
            await foreach (var chunk in _speech.Synthesizer.SynthesizeAsync(Feed, _speaker, _seed, ct).ConfigureAwait(false))
            {
                metrics.RecordIn();
                metrics.RecordLatency(_time.GetElapsedTime(last));
                Interlocked.Add(ref _synthesized, chunk.Samples.Length);
                await audio.WriteAsync(chunk, ct).ConfigureAwait(false);
                metrics.RecordOut();
                last = _time.GetTimestamp();
            }
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
        _stop.Dispose();
        Feed.Dispose();
    }
}
