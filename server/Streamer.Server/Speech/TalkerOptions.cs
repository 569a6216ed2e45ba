using Streamer.Models;

namespace Streamer.Server.Speech;

/// <summary><c>Models:Talker</c>: where the talker runs (it loads from the thinker's checkpoint folder).</summary>
public sealed class TalkerOptions
{
    public const string Section = "Models:Talker";

    public string Device { get; set; } = "cpu";

    public string DType { get; set; } = "float32";

    public ModelDeviceOptions Placement => new() { Device = Device, DType = DType };

    public static bool IsValid(TalkerOptions o) => !string.IsNullOrWhiteSpace(o.Device) && !string.IsNullOrWhiteSpace(o.DType);
}
