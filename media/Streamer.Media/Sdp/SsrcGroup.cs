namespace Streamer.Media.Sdp;

/// <summary><c>a=ssrc-group:&lt;semantics&gt; &lt;ssrc&gt; ...</c> (RFC 5576); FID pairs a primary SSRC with its RTX SSRC.</summary>
public sealed record SsrcGroup(string Semantics, IReadOnlyList<uint> Ssrcs)
{
    internal static bool TryParse(string value, out SsrcGroup? group)
    {
        group = null;
        string[] parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2)
        {
            return false;
        }
        var ssrcs = new uint[parts.Length - 1];
        for (int i = 1; i < parts.Length; i++)
        {
            if (!uint.TryParse(parts[i], out ssrcs[i - 1]))
            {
                return false;
            }
        }
        group = new SsrcGroup(parts[0], ssrcs);
        return true;
    }
}
