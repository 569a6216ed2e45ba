using Streamer.Models.Generation;
using Streamer.Models.Weights;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streamer.Models.Qwen25Omni;

/// <summary>Logits [B, L', vocab] (L' = the last positions asked for) and final hidden states [B, L, hidden].</summary>
public sealed record ThinkerOutput(Tensor Logits, Tensor LastHiddenState) : IDisposable
{
    public void Dispose()
    {
        Logits.Dispose();
        LastHiddenState.Dispose();
    }
}

/// <summary>
/// Qwen2.5-Omni Thinker: the audio encoder (<c>audio_tower</c>), the vision encoder
/// (<c>visual</c>), the Qwen2 decoder (<c>model</c>) and <c>lm_head</c>, i.e. every
/// <c>thinker.*</c> tensor of a checkpoint. Encoder outputs enter through
/// <see cref="ScatterEmbeddings"/>; <see cref="EmbedInputs"/> runs the whole path from processor outputs.
/// </summary>
public sealed partial class Qwen25OmniThinker : nn.Module
{
    public const string CheckpointPrefix = "thinker.";

    public readonly Qwen25OmniAudioEncoder audio_tower;
    public readonly Qwen25OmniVisionEncoder visual;
    public readonly Qwen2Decoder model;
    public readonly Linear lm_head;

    public Qwen25OmniThinker(Qwen25OmniThinkerConfig config) : base(nameof(Qwen25OmniThinker))
    {
        Config = config;
        audio_tower = new Qwen25OmniAudioEncoder(config.AudioConfig);
        visual = new Qwen25OmniVisionEncoder(config.VisionConfig);
        model = new Qwen2Decoder(config.TextConfig);
        lm_head = nn.Linear(config.TextConfig.HiddenSize, config.TextConfig.VocabSize, hasBias: false);
        RegisterComponents();
    }

    public Qwen25OmniThinkerConfig Config { get; }

    public Qwen25OmniTextConfig TextConfig => Config.TextConfig;

    /// <summary>
    /// Where the weights live, recorded when they were placed: reading it from a parameter would
    /// create a fresh tensor handle on every call.
    /// </summary>
    public Device Device { get; private set; } = CPU;

    public ScalarType DType { get; private set; } = ScalarType.Float32;

    /// <summary>Where the vision encoder (<c>visual</c>) runs; its output moves to <see cref="Device"/> at the stage boundary.</summary>
    public Device VisionDevice { get; private set; } = CPU;

    /// <summary>
    /// Moves every weight to the options' device and dtype, then the vision encoder to
    /// <paramref name="vision"/>'s when given, so the vision stage can sit on its own GPU.
    /// </summary>
    public void Place(ModelDeviceOptions options, ModelDeviceOptions? vision = null)
    {
        this.to(options.ScalarType).to(options.TorchDevice);
        Device = options.TorchDevice;
        DType = options.ScalarType;
        VisionDevice = Device;
        if (vision is not null && vision != options)
        {
            visual.to(vision.ScalarType).to(vision.TorchDevice);
            VisionDevice = vision.TorchDevice;
        }
    }

    /// <summary>Builds the thinker on the requested device(s) and dtype and loads its weights.</summary>
    public static Qwen25OmniThinker Load(Qwen25OmniThinkerConfig config, SafeTensorsCheckpoint checkpoint, ModelDeviceOptions? options = null,
        ModelDeviceOptions? vision = null)
    {
        options ??= ModelDeviceOptions.Cpu;
        var thinker = new Qwen25OmniThinker(config);
        thinker.Place(options, vision);
        thinker.eval();
        try
        {
            var tiedAndOmitted = config.TieWordEmbeddings && !checkpoint.Contains(CheckpointPrefix + "lm_head.weight");
            if (tiedAndOmitted)
            {
                // Tied checkpoints may omit lm_head; every other part still loads strictly.
                CheckpointLoader.Load(thinker.model, checkpoint, CheckpointPrefix + "model.", []);
                CheckpointLoader.Load(thinker.visual, checkpoint, CheckpointPrefix + "visual.", []);
                CheckpointLoader.Load(thinker.audio_tower, checkpoint, CheckpointPrefix + "audio_tower.", []);
                using var _ = no_grad();
                thinker.lm_head.weight!.copy_(thinker.model.embed_tokens.weight!);
            }
            else
            {
                CheckpointLoader.Load(thinker, checkpoint, CheckpointPrefix);
            }
        }
        catch
        {
            thinker.Dispose();
            throw;
        }
        return thinker;
    }

    /// <summary>Token embeddings [B, L, hidden] for ids [B, L].</summary>
    public Tensor Embed(Tensor inputIds)
    {
        using var noGrad = no_grad();
        return model.embed_tokens.forward(inputIds.to(Device));
    }

    /// <summary>
    /// One forward pass. Pass input ids or embeddings; position ids are [3, B, L]; the attention
    /// mask (0/1, [B, past + L]) may be null when no row is padded. <paramref name="logitsToKeep"/>
    /// limits lm_head to the last positions (0 = all); <paramref name="probe"/>, when given, sees
    /// every attention layer's queries and keys before rotary (streaming memory retrieval keys).
    /// </summary>
    public ThinkerOutput forward(Tensor? inputIds, Tensor? inputsEmbeds, Tensor positionIds,
        Tensor? attentionMask = null, KvCache? cache = null, int logitsToKeep = 0, IAttentionProbe? probe = null)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var hidden = model.forward(inputIds?.to(Device), inputsEmbeds?.to(Device), positionIds, attentionMask, cache, probe);
        var tail = logitsToKeep > 0 && logitsToKeep < hidden.shape[1]
            ? hidden.narrow(1, hidden.shape[1] - logitsToKeep, logitsToKeep)
            : hidden;
        var logits = lm_head.forward(tail);
        return new ThinkerOutput(logits.MoveToOuterDisposeScope(), hidden.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Writes encoder rows into the placeholder positions of <paramref name="inputsEmbeds"/>
    /// (masked_scatter in the reference): every position whose id equals <paramref name="placeholderId"/>
    /// receives the next row of <paramref name="features"/> [N, hidden], in order. Returns a new tensor.
    /// </summary>
    public static Tensor ScatterEmbeddings(Tensor inputsEmbeds, Tensor inputIds, long placeholderId, Tensor features)
    {
        using var scope = NewDisposeScope();
        var mask = inputIds.to(inputsEmbeds.device).eq(placeholderId);
        var count = mask.sum().item<long>();
        if (count != features.shape[0])
        {
            throw new ArgumentException($"{count} placeholder tokens {placeholderId} but {features.shape[0]} feature rows");
        }
        var expanded = mask.unsqueeze(-1).expand_as(inputsEmbeds);
        return inputsEmbeds.masked_scatter(expanded, features.to(inputsEmbeds.dtype, inputsEmbeds.device)).MoveToOuterDisposeScope();
    }
}
