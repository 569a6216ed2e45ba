using System.Runtime.CompilerServices;
using Streamer.Models.Generation;
using Streamer.Models.Qwen25Omni;
using Streamer.Models.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Models.Speech;

/// <summary>
/// Speaks a thinker reply: talker prompt from the reply's ids and hidden states, codec ids
/// streamed from the talker, audio chunks from <see cref="StreamingToken2Wav"/> as soon as enough
/// codes exist. Cancellation is checked before every talker step and every chunk, so an
/// interrupt stops after at most the chunk being computed.
/// </summary>
public sealed class SpeechSynthesizer(
    Qwen25OmniThinker thinker,
    Qwen25OmniTalker talker,
    Qwen25OmniToken2Wav? token2wav,
    SpeakerDictionary speakers,
    SpeechSynthesizerOptions? options = null)
{
    private readonly SpeechSynthesizerOptions _options = options ?? new SpeechSynthesizerOptions();

    public SpeechSynthesizerOptions Options => _options;

    /// <summary>False when the checkpoint has no token2wav: answers stay text only.</summary>
    public bool IsAvailable => token2wav is not null && speakers.Count > 0;

    public IReadOnlyList<string> Speakers => speakers.Names;

    /// <summary>
    /// Loads token2wav from a checkpoint folder, or explains why speech is unavailable.
    /// </summary>
    /// <exception cref="SpeechUnavailableException">config.json has no token2wav_config, or the weights hold no token2wav.* tensor.</exception>
    public static Qwen25OmniToken2Wav LoadToken2Wav(string folder, ModelDeviceOptions? deviceOptions = null)
    {
        var config = Qwen25OmniConfig.Load(folder);
        if (config.Token2WavConfig.ValueKind != System.Text.Json.JsonValueKind.Object)
        {
            throw new SpeechUnavailableException($"{folder}: config.json has no token2wav_config; speech is unavailable, answers are text only");
        }
        using var checkpoint = SafeTensorsCheckpoint.Open(folder);
        if (!checkpoint.Keys.Any(k => k.StartsWith(Qwen25OmniToken2Wav.CheckpointPrefix, StringComparison.Ordinal)))
        {
            throw new SpeechUnavailableException($"{folder}: the checkpoint holds no {Qwen25OmniToken2Wav.CheckpointPrefix}* weights; speech is unavailable, answers are text only");
        }
        return Qwen25OmniToken2Wav.Load(Qwen25OmniToken2WavConfig.From(config, folder), checkpoint, deviceOptions);
    }

    /// <summary>
    /// Streams the spoken answer as 24 kHz chunks; the last chunk has <see cref="Token2WavAudioChunk.IsLast"/>.
    /// </summary>
    /// <param name="seed">seeds the utterance noise; ignored when <paramref name="noise"/> is given.</param>
    /// <param name="noise">the ODE start [1, frames, mel_dim] (parity checks pass the reference's).</param>
    /// <exception cref="SpeechUnavailableException">no token2wav was loaded.</exception>
    /// <exception cref="SpeakerNotFoundException">an unknown voice.</exception>
    /// <exception cref="ArgumentOutOfRangeException">the talker produced a code outside the DiT's codec table.</exception>
    public async IAsyncEnumerable<Token2WavAudioChunk> SynthesizeAsync(ThinkerReply reply, string speaker, long seed = 0,
        Tensor? noise = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reply);
        if (token2wav is null)
        {
            throw new SpeechUnavailableException("no token2wav weights are loaded; speech is unavailable, answers are text only");
        }
        var voice = speakers.Get(speaker);
        using var cache = new KvCache(talker.Config.NumHiddenLayers);
        using var prompt = new PromptScope(BuildPrompt(reply, voice));
        var codes = new TalkerGenerator(talker).StreamAsync(prompt.Prompt, _options.Talker, cache, cancellationToken);
        await foreach (var chunk in SpeakAsync(token2wav, codes, voice, seed, noise, cancellationToken).ConfigureAwait(false))
        {
            yield return chunk;
        }
    }

    /// <summary>
    /// Speaks a reply the thinker is still generating: the talker runs right behind the thinker
    /// (see <see cref="TalkerGenerator.StreamAsync(TalkerReplyFeed, long, TalkerGenerationOptions, KvCache, CancellationToken)"/>),
    /// so the first chunk can leave before the text is finished. Yields nothing when the thinker
    /// fed back no token. Same exceptions as the offline overload.
    /// </summary>
    public async IAsyncEnumerable<Token2WavAudioChunk> SynthesizeAsync(TalkerReplyFeed feed, string speaker, long seed = 0,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(feed);
        if (token2wav is null)
        {
            throw new SpeechUnavailableException("no token2wav weights are loaded; speech is unavailable, answers are text only");
        }
        var voice = speakers.Get(speaker);
        if (!await feed.WaitForAsync(1, cancellationToken).ConfigureAwait(false))
        {
            yield break;
        }
        using var cache = new KvCache(talker.Config.NumHiddenLayers);
        var codes = new TalkerGenerator(talker).StreamAsync(feed, voice.BosTokenId, _options.Talker, cache, cancellationToken);
        await foreach (var chunk in SpeakAsync(token2wav, codes, voice, seed, null, cancellationToken).ConfigureAwait(false))
        {
            yield return chunk;
        }
    }

    private async IAsyncEnumerable<Token2WavAudioChunk> SpeakAsync(Qwen25OmniToken2Wav model, IAsyncEnumerable<int> codes, Speaker voice,
        long seed, Tensor? noise, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var utteranceNoise = noise is null ? StreamingToken2Wav.DrawNoise(model, seed, _options.NoiseFrames) : null;
        using var stream = new StreamingToken2Wav(model, voice.Cond, voice.ReferenceMel, noise ?? utteranceNoise!, _options.Streaming);
        await foreach (var code in codes.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var chunk in stream.Append([code]))
            {
                yield return chunk;
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        cancellationToken.ThrowIfCancellationRequested();
        yield return stream.Finish();
    }

    private TalkerPrompt BuildPrompt(ThinkerReply reply, Speaker voice)
    {
        using var scope = NewDisposeScope();
        var prompt = TalkerPromptBuilder.Build(thinker, talker.Config, reply.PromptIds, reply.PromptEmbeds, reply.PromptHidden,
            reply.ReplyIds, reply.ReplyHidden, voice.BosTokenId, reply.AttentionMask);
        prompt.InputsEmbeds.DetachFromDisposeScope();
        prompt.InputTextIds.DetachFromDisposeScope();
        prompt.ThinkerReplyPart.DetachFromDisposeScope();
        prompt.AttentionMask?.DetachFromDisposeScope();
        return prompt with
        {
            ImageGridThw = reply.ImageGridThw,
            VideoGridThw = reply.VideoGridThw,
            AudioSeqlens = reply.AudioSeqlens,
            SecondPerGrids = reply.SecondPerGrids,
            UseAudioInVideo = reply.UseAudioInVideo,
        };
    }

    /// <summary>Owns the tensors the prompt builder made (the reply's own tensors stay the caller's).</summary>
    private sealed class PromptScope(TalkerPrompt prompt) : IDisposable
    {
        public TalkerPrompt Prompt { get; } = prompt;

        public void Dispose()
        {
            Prompt.InputsEmbeds.Dispose();
            Prompt.InputTextIds.Dispose();
            Prompt.ThinkerReplyPart.Dispose();
            Prompt.AttentionMask?.Dispose();
        }
    }
}
