using System.Text.Json;
using System.Text.Json.Serialization;

namespace Streamer.Models.Qwen25Omni;

/// <summary>
/// The top level of a Qwen2.5-Omni <c>config.json</c>. The token2wav part stays raw JSON until
/// its modules need a typed record; the talker part is absent from thinker-only checkpoints.
/// </summary>
public sealed record Qwen25OmniConfig
{
    public const string FileName = "config.json";

    [JsonPropertyName("model_type")] public string? ModelType { get; init; }

    [JsonPropertyName("enable_audio_output")] public bool EnableAudioOutput { get; init; } = true;

    [JsonPropertyName("thinker_config")] public required Qwen25OmniThinkerConfig ThinkerConfig { get; init; }

    [JsonPropertyName("talker_config")] public Qwen25OmniTalkerConfig? TalkerConfig { get; init; }

    [JsonPropertyName("token2wav_config")] public JsonElement Token2WavConfig { get; init; }

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };

    /// <summary>Reads <c>config.json</c> from a checkpoint folder.</summary>
    public static Qwen25OmniConfig Load(string folder)
    {
        var path = Path.Combine(folder, FileName);
        using var stream = File.OpenRead(path);
        return Parse(stream, path);
    }

    public static Qwen25OmniConfig Parse(Stream json, string source = "config.json")
    {
        try
        {
            return JsonSerializer.Deserialize<Qwen25OmniConfig>(json, JsonOptions)
                ?? throw new InvalidDataException($"{source}: empty configuration");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: {e.Message}", e);
        }
    }
}
