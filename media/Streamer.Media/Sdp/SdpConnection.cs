namespace Streamer.Media.Sdp;

/// <summary>The "c=" line: <c>c=&lt;nettype&gt; &lt;addrtype&gt; &lt;connection-address&gt;</c> (the address may carry /ttl).</summary>
public sealed record SdpConnection(string NetworkType, string AddressType, string Address)
{
    public override string ToString() => $"{NetworkType} {AddressType} {Address}";
}
