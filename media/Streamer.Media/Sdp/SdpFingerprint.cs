namespace Streamer.Media.Sdp;

/// <summary><c>a=fingerprint:&lt;hash function&gt; &lt;hex bytes separated by colons&gt;</c> (RFC 8122).</summary>
public sealed record SdpFingerprint(string Algorithm, string Value)
{
    internal static bool TryParse(string value, out SdpFingerprint? fingerprint)
    {
        fingerprint = null;
        string[] parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2)
        {
            return false;
        }
        fingerprint = new SdpFingerprint(parts[0], parts[1]);
        return true;
    }

    public override string ToString() => $"{Algorithm} {Value}";
}
