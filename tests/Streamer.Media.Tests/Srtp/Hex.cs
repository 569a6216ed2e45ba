namespace Streamer.Media.Tests.Srtp;

internal static class Hex
{
    /// <summary>Parses hex written in RFC style, with spaces and line breaks between groups.</summary>
    public static byte[] Parse(string text) =>
        Convert.FromHexString(string.Concat(text.Where(c => !char.IsWhiteSpace(c))));
}
