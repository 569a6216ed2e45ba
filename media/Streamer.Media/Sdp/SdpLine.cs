namespace Streamer.Media.Sdp;

/// <summary>
/// A line WebRTC does not use (i=, u=, e=, p=, b=, r=, z=, k=) kept as it came, so a parsed
/// description is written back unchanged.
/// </summary>
public readonly record struct SdpLine(char Type, string Value)
{
    public override string ToString() => $"{Type}={Value}";
}
