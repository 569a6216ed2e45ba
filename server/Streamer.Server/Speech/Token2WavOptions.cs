using Streamer.Models;

namespace Streamer.Server.Speech;

/// <summary><c>Models:Token2Wav</c>: where the DiT and BigVGAN run; the reference runs them in float32.</summary>
public sealed class Token2WavOptions
{
    public const string Section = "Models:Token2Wav";

    /// <summary>
    /// A folder with config.json (token2wav_config), token2wav.* weights and spk_dict.safetensors;
    /// empty reads them from the thinker's checkpoint (or builds random ones for the random thinker).
    /// </summary>
    public string? Path { get; set; }

    public string Device { get; set; } = "cpu";

    public string DType { get; set; } = "float32";

    public ModelDeviceOptions Placement => new() { Device = Device, DType = DType };

    public static bool IsValid(Token2WavOptions o) => !string.IsNullOrWhiteSpace(o.Device) && !string.IsNullOrWhiteSpace(o.DType)
        && (string.IsNullOrEmpty(o.Path) || Directory.Exists(o.Path));
}
