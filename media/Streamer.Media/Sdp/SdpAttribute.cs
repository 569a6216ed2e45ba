namespace Streamer.Media.Sdp;

/// <summary>An "a=" line: a property attribute (<c>a=rtcp-mux</c>) has no value, a value attribute (<c>a=mid:0</c>) has one.</summary>
public readonly record struct SdpAttribute(string Name, string? Value = null)
{
    public override string ToString() => Value is null ? Name : Name + ":" + Value;
}
