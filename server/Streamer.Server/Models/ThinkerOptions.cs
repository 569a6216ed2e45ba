using Streamer.Models;

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

    /// <summary>Torch device of the LLM stage (decoder, lm_head, audio encoder): "cpu", "cuda", "cuda:1", ...</summary>
    public string Device { get; set; } = "cpu";

    /// <summary>Torch device of the vision encoder stage; null runs it on <see cref="Device"/>.</summary>
    public string? VisionDevice { get; set; }

    /// <summary>"float32", "bfloat16", "float16".</summary>
    public string DType { get; set; } = "float32";

    /// <summary>Look in the Hugging Face cache when no path is set.</summary>
    public bool SearchHuggingFaceCache { get; set; } = true;

    /// <summary>Seed of the random model's weights.</summary>
    public int RandomSeed { get; set; } = 1234;

    /// <summary>Each stage's device setting, by key under the section.</summary>
    public IEnumerable<(string Key, string Device)> Devices()
    {
        yield return (nameof(Device), Device);
        if (VisionDevice is not null) yield return (nameof(VisionDevice), VisionDevice);
    }

    public ModelDeviceOptions Llm => new() { Device = Device, DType = DType };

    public ModelDeviceOptions Vision => new() { Device = VisionDevice ?? Device, DType = DType };
}
