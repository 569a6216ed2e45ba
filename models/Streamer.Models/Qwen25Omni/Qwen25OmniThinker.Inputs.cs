using Streamer.Models.Generation;
using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Models.Qwen25Omni;

/// <summary>The thinker's path from processor outputs to the decoder: encoders, scatter, TMRoPE index.</summary>
public sealed partial class Qwen25OmniThinker
{
    /// <summary>
    /// Text embeddings with the image, video and audio encoder rows written into their placeholder
    /// positions: exactly what the reference passes to <c>thinker.model</c> as inputs_embeds.
    /// </summary>
    public Tensor EmbedInputs(Qwen25OmniThinkerInputs inputs)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var ids = inputs.InputIds;
        var embeds = Embed(ids);
        if (inputs.InputFeatures is not null)
        {
            var mask = inputs.FeatureAttentionMask
                ?? ones(inputs.InputFeatures.shape[0], inputs.InputFeatures.shape[2], ScalarType.Int64);
            var audio = audio_tower.EncodeBatch(inputs.InputFeatures, mask);
            embeds = ScatterEmbeddings(embeds, ids, Config.AudioTokenIndex, audio);
        }
        if (inputs.PixelValues is not null)
        {
            using var image = visual.forward(inputs.PixelValues.to(VisionDevice), Required(inputs.ImageGridThw, "ImageGridThw"));
            embeds = ScatterEmbeddings(embeds, ids, Config.ImageTokenIndex, image.MergedEmbeddings);
        }
        if (inputs.PixelValuesVideos is not null)
        {
            using var video = visual.forward(inputs.PixelValuesVideos.to(VisionDevice), Required(inputs.VideoGridThw, "VideoGridThw"));
            embeds = ScatterEmbeddings(embeds, ids, Config.VideoTokenIndex, video.MergedEmbeddings);
        }
        return embeds.MoveToOuterDisposeScope();
    }

    /// <summary>TMRoPE position ids [3, B, L] and rope deltas [B, 1] for the inputs (get_rope_index).</summary>
    public (Tensor PositionIds, Tensor RopeDeltas) RopeIndex(Qwen25OmniThinkerInputs inputs) =>
        Qwen25OmniRopeIndex.GetRopeIndex(
            Config,
            inputs.InputIds,
            inputs.ImageGridThw,
            inputs.VideoGridThw,
            inputs.AttentionMask,
            inputs.UseAudioInVideo,
            inputs.FeatureAttentionMask?.to_type(ScalarType.Int64).sum(-1),
            inputs.VideoSecondPerGrid);

    /// <summary>
    /// A generation prompt from processor outputs: embeddings, positions and deltas are built
    /// here and disposed with the returned <see cref="OwnedPrompt"/>.
    /// </summary>
    public OwnedPrompt PreparePrompt(Qwen25OmniThinkerInputs inputs)
    {
        var embeds = EmbedInputs(inputs);
        var (hostPositions, deltas) = RopeIndex(inputs);
        var positions = hostPositions.to(Device);
        return new OwnedPrompt(new ThinkerPrompt(null, embeds, positions, deltas, inputs.AttentionMask), embeds, hostPositions, positions, deltas);
    }

    /// <summary>One full forward from processor outputs (encoders, scatter, rope index, decoder, lm_head).</summary>
    public ThinkerOutput forward(Qwen25OmniThinkerInputs inputs, KvCache? cache = null, int logitsToKeep = 0)
    {
        using var scope = NewDisposeScope();
        var embeds = EmbedInputs(inputs);
        var (positions, _) = RopeIndex(inputs);
        var output = forward(null, embeds, positions.to(Device), inputs.AttentionMask, cache, logitsToKeep);
        output.Logits.MoveToOuterDisposeScope();
        output.LastHiddenState.MoveToOuterDisposeScope();
        return output;
    }

    private static Tensor Required(Tensor? t, string name) =>
        t ?? throw new ArgumentException($"{name} is required with its pixel values");
}
