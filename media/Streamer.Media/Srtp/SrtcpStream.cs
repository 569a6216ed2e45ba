namespace Streamer.Media.Srtp;

/// <summary>
/// Per-SSRC SRTCP state. The 31-bit SRTCP index travels in every packet, so unlike SRTP
/// nothing is estimated: a receiver only keeps a replay window, a sender the next index.
/// </summary>
internal sealed class SrtcpStream
{
    public const uint MaxIndex = 0x7FFF_FFFF;

    private readonly SrtpReplayWindow _window;
    private long _nextIndex;

    public SrtcpStream(int replayWindowSize) => _window = new SrtpReplayWindow(replayWindowSize);

    public bool IsReplayed(uint index) => _window.IsReplayed(index);

    public void Commit(uint index) => _window.Accept(index);

    /// <summary>
    /// Takes the next index to send; false once the 31-bit space is spent, when the session
    /// must be rekeyed (RFC 3711 section 9.2).
    /// </summary>
    public bool TryTakeIndex(out uint index)
    {
        if (_nextIndex > MaxIndex)
        {
            index = 0;
            return false;
        }

        index = (uint)_nextIndex++;
        return true;
    }
}
