namespace Streamer.Server.Models;

/// <summary>
/// <c>Models:Thinker</c>: which Qwen2.5-Omni checkpoint answers questions and where it runs.
/// With no <see cref="Path"/> the Hugging Face cache is searched (Qwen2.5-Omni-3B, then 7B);
/// with no checkpoint found a small random model of the same architecture runs instead.
/// </summary>
public sealed class ThinkerOptions
{
    public const string Section = "Models:Thinker";

    /// <summary>A Hugging Face checkpoint folder (config.json, *.safetensors, tokenizer files).</summary>
    public string? Path { get; set; }

    /// <summary>Torch device: "cpu", "cuda:0", ...</summary>
    public string Device { get; set; } = "cpu";

    /// <summary>"float32", "bfloat16", "float16".</summary>
    public string DType { get; set; } = "float32";

    /// <summary>Look in the Hugging Face cache when no path is set.</summary>
    public bool SearchHuggingFaceCache { get; set; } = true;

    /// <summary>Seed of the random model's weights.</summary>
    public int RandomSeed { get; set; } = 1234;

    public static bool IsValid(ThinkerOptions o) =>
        !string.IsNullOrWhiteSpace(o.Device) && !string.IsNullOrWhiteSpace(o.DType)
        && (string.IsNullOrEmpty(o.Path) || Directory.Exists(o.Path));
}
