using System.Text.Json;
using System.Text.Json.Serialization;

namespace Streamer.Models.Qwen25Omni;

/// <summary><c>token2wav_config</c> of a Qwen2.5-Omni checkpoint: the DiT and the BigVGAN vocoder.</summary>
public sealed record Qwen25OmniToken2WavConfig
{
    [JsonPropertyName("dit_config")] public required Qwen25OmniDiTConfig DitConfig { get; init; }

    [JsonPropertyName("bigvgan_config")] public required Qwen25OmniBigVGANConfig BigVGANConfig { get; init; }

    /// <summary>Reads the typed token2wav part of an already parsed top-level config.</summary>
    public static Qwen25OmniToken2WavConfig From(Qwen25OmniConfig config, string source = Qwen25OmniConfig.FileName)
    {
        if (config.Token2WavConfig.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{source}: no token2wav_config object");
        }
        try
        {
            return config.Token2WavConfig.Deserialize<Qwen25OmniToken2WavConfig>(Qwen25OmniConfig.JsonOptions)
                ?? throw new InvalidDataException($"{source}: empty token2wav_config");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: token2wav_config: {e.Message}", e);
        }
    }

    /// <summary>Reads <c>config.json</c> from a checkpoint folder and returns its token2wav part.</summary>
    public static Qwen25OmniToken2WavConfig Load(string folder) =>
        From(Qwen25OmniConfig.Load(folder), Path.Combine(folder, Qwen25OmniConfig.FileName));
}
