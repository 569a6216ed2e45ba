using System.Text.Json.Serialization;

namespace Streamer.Models.Qwen25Omni;

/// <summary><c>token2wav_config.bigvgan_config</c>: the vocoder from mel frames to 24 kHz samples.</summary>
public sealed record Qwen25OmniBigVGANConfig
{
    [JsonPropertyName("mel_dim")] public required int MelDim { get; init; }

    [JsonPropertyName("upsample_initial_channel")] public required int UpsampleInitialChannel { get; init; }

    [JsonPropertyName("upsample_rates")] public required IReadOnlyList<int> UpsampleRates { get; init; }

    [JsonPropertyName("upsample_kernel_sizes")] public required IReadOnlyList<int> UpsampleKernelSizes { get; init; }

    [JsonPropertyName("resblock_kernel_sizes")] public required IReadOnlyList<int> ResblockKernelSizes { get; init; }

    [JsonPropertyName("resblock_dilation_sizes")] public required IReadOnlyList<IReadOnlyList<int>> ResblockDilationSizes { get; init; }

    /// <summary>Output samples per mel frame: the product of the upsample rates.</summary>
    [JsonIgnore] public int HopLength => UpsampleRates.Aggregate(1, (a, r) => a * r);

    /// <summary>Channels after upsample stage <paramref name="stage"/> (0-based); halves every stage.</summary>
    public int ChannelsAfter(int stage) => UpsampleInitialChannel >> (stage + 1);
}
