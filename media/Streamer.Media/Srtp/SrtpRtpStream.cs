namespace Streamer.Media.Srtp;

/// <summary>
/// Per-SSRC SRTP state: the rollover counter, the highest sequence number seen and the
/// replay window. A sender uses the same index estimation so that a retransmission of an
/// older packet is protected with the rollover counter it had originally.
/// </summary>
internal sealed class SrtpRtpStream
{
    private const int HalfSequenceSpace = 32768;

    private readonly SrtpReplayWindow _window;
    private bool _started;
    private uint _roc;
    private ushort _highestSequence;

    public SrtpRtpStream(int replayWindowSize) => _window = new SrtpReplayWindow(replayWindowSize);

    public uint RolloverCounter => _roc;

    /// <summary>
    /// The 48-bit packet index most likely meant by <paramref name="sequence"/> (RFC 3711
    /// section 3.3.1 and appendix A), or -1 when it would precede the first index of the stream.
    /// </summary>
    public long EstimateIndex(ushort sequence)
    {
        if (!_started)
        {
            return sequence;
        }

        long v = _roc;
        if (_highestSequence < HalfSequenceSpace)
        {
            if (sequence - _highestSequence > HalfSequenceSpace)
            {
                v--;
            }
        }
        else if (_highestSequence - HalfSequenceSpace > sequence)
        {
            v++;
        }

        return v < 0 ? -1 : (v << 16) | sequence;
    }

    public bool IsReplayed(long index) => index < 0 || _window.IsReplayed(index);

    /// <summary>Records an authenticated packet; only a newer index moves the rollover counter.</summary>
    public void Commit(long index)
    {
        if (!_started || index > ((long)_roc << 16 | _highestSequence))
        {
            _roc = (uint)(index >> 16);
            _highestSequence = (ushort)index;
            _started = true;
        }

        _window.Accept(index);
    }
}
