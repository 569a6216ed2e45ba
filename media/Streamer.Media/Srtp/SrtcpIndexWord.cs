namespace Streamer.Media.Srtp;

/// <summary>
/// The word SRTCP appends to every packet (RFC 3711 section 3.4):
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |E|                         SRTCP index                         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
internal static class SrtcpIndexWord
{
    public const uint Encrypted = 0x8000_0000;
    public const uint IndexMask = 0x7FFF_FFFF;
}
