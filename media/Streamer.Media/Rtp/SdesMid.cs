using System.Text;

namespace Streamer.Media.Rtp;

/// <summary>The sdes:mid extension (RFC 8843 section 15): the BUNDLE media id as text.</summary>
public static class SdesMid
{
    public const string Uri = "urn:ietf:params:rtp-hdrext:sdes:mid";

    private static readonly UTF8Encoding LenientUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>False for an empty value; mids are short tokens, so decoding is cheap.</summary>
    public static bool TryRead(ReadOnlySpan<byte> value, out string mid)
    {
        if (value.IsEmpty)
        {
            mid = string.Empty;
            return false;
        }
        mid = LenientUtf8.GetString(value);
        return true;
    }

    public static byte[] Encode(string mid) => Encoding.UTF8.GetBytes(mid);
}
