using System.Text.Json.Serialization;

namespace Streamer.Models.Qwen25Omni;

/// <summary>
/// <c>token2wav_config.dit_config</c>: the flow-matching DiT that turns talker codes into mel
/// frames, and its ECAPA-TDNN speaker encoder (the <c>enc_*</c> values).
/// </summary>
public sealed record Qwen25OmniDiTConfig
{
    [JsonPropertyName("hidden_size")] public required int HiddenSize { get; init; }

    [JsonPropertyName("num_hidden_layers")] public required int NumHiddenLayers { get; init; }

    [JsonPropertyName("num_attention_heads")] public required int NumAttentionHeads { get; init; }

    [JsonPropertyName("head_dim")] public required int HeadDim { get; init; }

    [JsonPropertyName("ff_mult")] public required double FfMult { get; init; }

    [JsonPropertyName("emb_dim")] public required int EmbDim { get; init; }

    [JsonPropertyName("mel_dim")] public required int MelDim { get; init; }

    [JsonPropertyName("num_embeds")] public required int NumEmbeds { get; init; }

    [JsonPropertyName("repeats")] public required int Repeats { get; init; }

    [JsonPropertyName("block_size")] public required int BlockSize { get; init; }

    [JsonPropertyName("look_ahead_layers")] public required IReadOnlyList<int> LookAheadLayers { get; init; }

    [JsonPropertyName("look_backward_layers")] public required IReadOnlyList<int> LookBackwardLayers { get; init; }

    [JsonPropertyName("enc_emb_dim")] public required int EncEmbDim { get; init; }

    [JsonPropertyName("enc_dim")] public required int EncDim { get; init; }

    [JsonPropertyName("enc_channels")] public required IReadOnlyList<int> EncChannels { get; init; }

    [JsonPropertyName("enc_kernel_sizes")] public required IReadOnlyList<int> EncKernelSizes { get; init; }

    [JsonPropertyName("enc_dilations")] public required IReadOnlyList<int> EncDilations { get; init; }

    [JsonPropertyName("enc_attention_channels")] public required int EncAttentionChannels { get; init; }

    [JsonPropertyName("enc_res2net_scale")] public required int EncRes2NetScale { get; init; }

    [JsonPropertyName("enc_se_channels")] public required int EncSeChannels { get; init; }

    [JsonPropertyName("rope_parameters")] public Qwen25OmniDiTRopeParameters? RopeParameters { get; init; }

    /// <summary>Older configs carry the rotary base at the top level.</summary>
    [JsonPropertyName("rope_theta")] public double? RopeThetaLegacy { get; init; }

    [JsonPropertyName("dropout")] public double Dropout { get; init; }

    /// <summary>The rotary base (10000 when the config names none, the reference default).</summary>
    [JsonIgnore] public double RopeTheta => RopeParameters?.RopeTheta ?? RopeThetaLegacy ?? 10000.0;

    /// <summary>Width of the input projection: noisy mel, speaker-encoder vector, code embedding and speaker embedding.</summary>
    [JsonIgnore] public int InputWidth => MelDim + EncDim + EncEmbDim + EmbDim;

    [JsonIgnore] public int InnerDim => HeadDim * NumAttentionHeads;
}

/// <summary>The <c>rope_parameters</c> object of the DiT config.</summary>
public sealed record Qwen25OmniDiTRopeParameters
{
    [JsonPropertyName("rope_theta")] public double RopeTheta { get; init; } = 10000.0;

    [JsonPropertyName("rope_type")] public string RopeType { get; init; } = "default";
}
