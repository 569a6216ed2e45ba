using Streamer.Models.Generation;
using Streamer.Models.Weights;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streamer.Models.Qwen25Omni;

/// <summary>
/// Qwen2.5-Omni Talker (<c>Qwen2_5OmniTalkerForConditionalGeneration</c>): every <c>talker.*</c>
/// tensor of a checkpoint. Rows in the thinker's embedding space (thinker states plus codec
/// embeddings, both <c>embedding_size</c> wide) go through <c>thinker_to_talker_proj</c> into a
/// Qwen2 decoder (<c>model</c>) with M-RoPE, and <c>codec_head</c> scores the codec vocabulary.
/// </summary>
public sealed class Qwen25OmniTalker : nn.Module
{
    public const string CheckpointPrefix = "talker.";

    public readonly Linear thinker_to_talker_proj;
    public readonly Qwen2Decoder model;
    public readonly Linear codec_head;

    public Qwen25OmniTalker(Qwen25OmniTalkerConfig config) : base(nameof(Qwen25OmniTalker))
    {
        Config = config;
        thinker_to_talker_proj = nn.Linear(config.EmbeddingSize, config.HiddenSize, hasBias: true);
        model = new Qwen2Decoder(config.DecoderConfig, config.EmbeddingSize);
        codec_head = nn.Linear(config.HiddenSize, config.VocabSize, hasBias: false);
        RegisterComponents();
    }

    public Qwen25OmniTalkerConfig Config { get; }

    /// <summary>Recorded when the weights were placed (reading a parameter's device allocates a handle).</summary>
    public Device Device { get; private set; } = CPU;

    public ScalarType DType { get; private set; } = ScalarType.Float32;

    public void Place(ModelDeviceOptions options)
    {
        this.to(options.ScalarType).to(options.TorchDevice);
        Device = options.TorchDevice;
        DType = options.ScalarType;
    }

    /// <summary>Builds the talker on the requested device and dtype and loads its weights strictly.</summary>
    public static Qwen25OmniTalker Load(Qwen25OmniTalkerConfig config, SafeTensorsCheckpoint checkpoint, ModelDeviceOptions? options = null)
    {
        var talker = new Qwen25OmniTalker(config);
        try
        {
            talker.Place(options ?? ModelDeviceOptions.Cpu);
            talker.eval();
            CheckpointLoader.Load(talker, checkpoint, CheckpointPrefix);
        }
        catch
        {
            talker.Dispose();
            throw;
        }
        return talker;
    }

    /// <summary>
    /// Codec embeddings [B, L, embedding_size] for codec ids [B, L]. An id outside the codec
    /// vocabulary is rejected here rather than inside libtorch, where it would abort a CUDA context.
    /// </summary>
    public Tensor Embed(Tensor codecIds)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var ids = codecIds.to_type(ScalarType.Int64);
        if (ids.numel() > 0)
        {
            var (min, max) = (ids.min().item<long>(), ids.max().item<long>());
            if (min < 0 || max >= Config.VocabSize)
            {
                throw new ArgumentOutOfRangeException(nameof(codecIds),
                    $"codec ids must be in [0, {Config.VocabSize}), got {(min < 0 ? min : max)}");
            }
        }
        return model.embed_tokens.forward(ids.to(Device)).MoveToOuterDisposeScope();
    }

    /// <summary>3D positions [3, 1, L] and the rope delta for a prompt, from the talker's own rope index.</summary>
    public (Tensor PositionIds, Tensor RopeDeltas) GetRopeIndex(TalkerPrompt prompt) =>
        Qwen25OmniRopeIndex.GetRopeIndex(Config.RopeIndexConfig, prompt.InputTextIds, prompt.ImageGridThw,
            prompt.VideoGridThw, prompt.AttentionMask, prompt.UseAudioInVideo, prompt.AudioSeqlens, prompt.SecondPerGrids);

    /// <summary>
    /// The prompt rows as the decoder sees them: codec pad added to the second-to-last row and codec
    /// bos to the last (the reference adds them in place; here the input stays untouched).
    /// </summary>
    public Tensor AddCodecPrefix(Tensor inputsEmbeds)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var x = inputsEmbeds.to(DType, Device);
        var length = x.shape[1];
        if (length < 2)
        {
            throw new ArgumentException($"a talker prompt has at least 2 rows, got {length}");
        }
        var codec = Embed(tensor(new[] { Config.TtsCodecPadTokenId, Config.TtsCodecStartTokenId }, [1, 2]));
        var head = x.narrow(1, 0, length - 2);
        var tail = x.narrow(1, length - 2, 2) + codec;
        return cat([head, tail], 1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// One forward pass over rows in the thinker's embedding space [B, L, embedding_size]: project,
    /// decode with position ids [3, B, L], score codecs. Returns float32 logits for the last
    /// <paramref name="logitsToKeep"/> positions (0 = all).
    /// </summary>
    public Tensor forward(Tensor inputsEmbeds, Tensor positionIds, Tensor? attentionMask = null, KvCache? cache = null, int logitsToKeep = 0)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var projected = thinker_to_talker_proj.forward(inputsEmbeds.to(DType, Device));
        var hidden = model.forward(null, projected, positionIds, attentionMask, cache);
        var tail = logitsToKeep > 0 && logitsToKeep < hidden.shape[1]
            ? hidden.narrow(1, hidden.shape[1] - logitsToKeep, logitsToKeep)
            : hidden;
        return codec_head.forward(tail).to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The prompt forward of a reply: rope index from the prompt's text ids, codec pad/bos added to
    /// the last two rows, then <see cref="forward"/> (filling <paramref name="cache"/> when given).
    /// </summary>
    public TalkerPrefillOutput Prefill(TalkerPrompt prompt, KvCache? cache = null, int logitsToKeep = 0)
    {
        using var scope = NewDisposeScope();
        if (prompt.InputTextIds.shape[1] != prompt.Length)
        {
            throw new ArgumentException($"input_text_ids has {prompt.InputTextIds.shape[1]} ids for {prompt.Length} embedding rows");
        }
        var (positions, deltas) = GetRopeIndex(prompt);
        var embeds = AddCodecPrefix(prompt.InputsEmbeds);
        var logits = forward(embeds, positions, prompt.AttentionMask?.to(Device), cache, logitsToKeep);
        return new TalkerPrefillOutput(logits.MoveToOuterDisposeScope(), positions.MoveToOuterDisposeScope(), deltas.MoveToOuterDisposeScope());
    }
}
