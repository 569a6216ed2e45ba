using System.Buffers.Binary;

namespace Streamer.Media.Srtp;

/// <summary>
/// One direction of one DTLS-SRTP session, for every SSRC in it (RFC 3711, RFC 7714).
/// Inbound packets are authenticated before anything is decrypted or remembered: a forged,
/// replayed or malformed packet changes no state and is only counted. Per-SSRC state is
/// created on the first authentic packet and bounded by <see cref="SrtpOptions.MaxStreams"/>.
/// </summary>
/// <remarks>
/// Not thread-safe: use one context per direction from one loop. Master key indicators
/// (MKI) are not supported; DTLS-SRTP does not use them.
/// </remarks>
public sealed class SrtpContext : IDisposable
{
    private readonly SrtpCipher _cipher;
    private readonly int _maxStreams;
    private readonly int _replayWindowSize;
    private readonly Dictionary<uint, SrtpRtpStream> _inboundRtp = [];
    private readonly Dictionary<uint, SrtpRtpStream> _outboundRtp = [];
    private readonly Dictionary<uint, SrtcpStream> _inboundRtcp = [];
    private readonly Dictionary<uint, SrtcpStream> _outboundRtcp = [];

    // State for an SSRC not yet seen is prepared here and only kept once a packet of that
    // SSRC authenticates, so forged packets with random SSRCs allocate nothing.
    private SrtpRtpStream? _pendingRtp;
    private SrtcpStream? _pendingRtcp;

    private SrtpContext(SrtpProfile profile, SrtpCipher cipher, SrtpOptions options)
    {
        Profile = profile;
        _cipher = cipher;
        _maxStreams = options.MaxStreams;
        _replayWindowSize = options.ReplayWindowSize;
    }

    public SrtpProfile Profile { get; }

    /// <summary>Bytes <see cref="TryProtectRtp"/> adds to an RTP packet.</summary>
    public int RtpOverhead => _cipher.RtpOverhead;

    /// <summary>Bytes <see cref="TryProtectRtcp"/> adds to an RTCP packet.</summary>
    public int RtcpOverhead => _cipher.RtcpOverhead;

    /// <summary>Inbound packets whose authentication tag did not verify.</summary>
    public long AuthenticationFailures { get; private set; }

    /// <summary>Inbound packets already received or older than the replay window.</summary>
    public long ReplayedPackets { get; private set; }

    /// <summary>Inbound packets of a new SSRC refused because <see cref="SrtpOptions.MaxStreams"/> were tracked.</summary>
    public long UnknownStreamPackets { get; private set; }

    /// <summary>Inbound packets too short or otherwise not SRTP/SRTCP.</summary>
    public long MalformedPackets { get; private set; }

    /// <summary>
    /// Derives the session keys from a master key and salt (RFC 3711 section 4.3, key
    /// derivation rate 0). Throws on a key or salt of the wrong length for the profile.
    /// </summary>
    public static SrtpContext Create(SrtpProfile profile, ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt, SrtpOptions? options = null)
    {
        if (!profile.IsSupported())
        {
            throw new ArgumentOutOfRangeException(nameof(profile), profile, "Unsupported SRTP profile.");
        }

        if (masterKey.Length != profile.MasterKeyLength())
        {
            throw new ArgumentException($"{profile} needs a {profile.MasterKeyLength()}-byte master key.", nameof(masterKey));
        }

        if (masterSalt.Length != profile.MasterSaltLength())
        {
            throw new ArgumentException($"{profile} needs a {profile.MasterSaltLength()}-byte master salt.", nameof(masterSalt));
        }

        return Create(profile, SrtpKeyDerivation.DeriveSessionKeys(profile, masterKey, masterSalt), options);
    }

    internal static SrtpContext Create(SrtpProfile profile, SrtpSessionKeys keys, SrtpOptions? options = null)
    {
        options ??= new SrtpOptions();
        options.Validate();
        return new SrtpContext(profile, SrtpCipher.Create(profile, keys), options);
    }

    /// <summary>
    /// Authenticates and decrypts an SRTP packet in place. On success the first
    /// <paramref name="plainLength"/> bytes are the RTP packet (header, payload, padding).
    /// </summary>
    public bool TryUnprotectRtp(Span<byte> packet, out int plainLength, out ParseError error)
    {
        plainLength = 0;
        if (!SrtpPacketLayout.TryReadRtp(packet, _cipher.RtpOverhead, out var headerLength, out var sequence, out var ssrc, out error))
        {
            MalformedPackets++;
            return false;
        }

        if (!_inboundRtp.TryGetValue(ssrc, out var stream))
        {
            if (_inboundRtp.Count >= _maxStreams)
            {
                return RejectUnknownStream(out error);
            }

            stream = _pendingRtp ??= new SrtpRtpStream(_replayWindowSize);
        }

        var index = stream.EstimateIndex(sequence);
        if (stream.IsReplayed(index))
        {
            return RejectReplayed(out error);
        }

        if (!_cipher.TryDecryptRtp(packet, headerLength, ssrc, index))
        {
            return RejectAuthentication(out error);
        }

        if (ReferenceEquals(stream, _pendingRtp))
        {
            _inboundRtp.Add(ssrc, stream);
            _pendingRtp = null;
        }

        stream.Commit(index);
        plainLength = packet.Length - _cipher.RtpOverhead;
        return true;
    }

    /// <summary>
    /// Authenticates and, when its E flag is set, decrypts an SRTCP packet in place. On
    /// success the first <paramref name="plainLength"/> bytes are the compound RTCP packet.
    /// </summary>
    public bool TryUnprotectRtcp(Span<byte> packet, out int plainLength, out ParseError error)
    {
        plainLength = 0;
        if (!SrtpPacketLayout.TryReadRtcp(packet, _cipher.RtcpOverhead, out var ssrc, out error))
        {
            MalformedPackets++;
            return false;
        }

        var word = BinaryPrimitives.ReadUInt32BigEndian(packet[_cipher.RtcpIndexOffset(packet.Length)..]);
        var encrypted = (word & SrtcpIndexWord.Encrypted) != 0;
        var index = word & SrtcpIndexWord.IndexMask;

        if (!_inboundRtcp.TryGetValue(ssrc, out var stream))
        {
            if (_inboundRtcp.Count >= _maxStreams)
            {
                return RejectUnknownStream(out error);
            }

            stream = _pendingRtcp ??= new SrtcpStream(_replayWindowSize);
        }

        if (stream.IsReplayed(index))
        {
            return RejectReplayed(out error);
        }

        if (!_cipher.TryDecryptRtcp(packet, ssrc, index, encrypted))
        {
            return RejectAuthentication(out error);
        }

        if (ReferenceEquals(stream, _pendingRtcp))
        {
            _inboundRtcp.Add(ssrc, stream);
            _pendingRtcp = null;
        }

        stream.Commit(index);
        plainLength = packet.Length - _cipher.RtcpOverhead;
        return true;
    }

    /// <summary>
    /// Encrypts and tags an RTP packet into <paramref name="destination"/>, which needs
    /// <see cref="RtpOverhead"/> bytes more than <paramref name="plain"/> and may be the same
    /// memory. False on a malformed packet, a short destination or too many SSRCs.
    /// </summary>
    public bool TryProtectRtp(ReadOnlySpan<byte> plain, Span<byte> destination, out int written)
    {
        written = 0;
        if (!SrtpPacketLayout.TryReadRtp(plain, 0, out var headerLength, out var sequence, out var ssrc, out _)
            || destination.Length < plain.Length + _cipher.RtpOverhead)
        {
            return false;
        }

        if (!_outboundRtp.TryGetValue(ssrc, out var stream))
        {
            if (_outboundRtp.Count >= _maxStreams)
            {
                return false;
            }

            stream = new SrtpRtpStream(_replayWindowSize);
            _outboundRtp.Add(ssrc, stream);
        }

        // Estimated like a receiver would, so a retransmission of a packet from before a
        // sequence wrap keeps its original rollover counter.
        var index = stream.EstimateIndex(sequence);
        if (index < 0)
        {
            return false;
        }

        plain.CopyTo(destination);
        _cipher.EncryptRtp(destination, headerLength, plain.Length, ssrc, index);
        stream.Commit(index);
        written = plain.Length + _cipher.RtpOverhead;
        return true;
    }

    /// <summary>
    /// Encrypts a (compound) RTCP packet into <paramref name="destination"/> with the next
    /// SRTCP index of its sender SSRC, setting the E flag. The destination needs
    /// <see cref="RtcpOverhead"/> bytes more than <paramref name="plain"/> and may be the same memory.
    /// </summary>
    public bool TryProtectRtcp(ReadOnlySpan<byte> plain, Span<byte> destination, out int written)
    {
        written = 0;
        if (!SrtpPacketLayout.TryReadRtcp(plain, 0, out var ssrc, out _)
            || destination.Length < plain.Length + _cipher.RtcpOverhead)
        {
            return false;
        }

        if (!_outboundRtcp.TryGetValue(ssrc, out var stream))
        {
            if (_outboundRtcp.Count >= _maxStreams)
            {
                return false;
            }

            stream = new SrtcpStream(_replayWindowSize);
            _outboundRtcp.Add(ssrc, stream);
        }

        if (!stream.TryTakeIndex(out var index))
        {
            return false;
        }

        plain.CopyTo(destination);
        _cipher.EncryptRtcp(destination, plain.Length, ssrc, index);
        written = plain.Length + _cipher.RtcpOverhead;
        return true;
    }

    /// <summary>The rollover counter of an inbound SSRC, if any packet of it was accepted.</summary>
    public bool TryGetInboundRolloverCounter(uint ssrc, out uint rolloverCounter)
    {
        var found = _inboundRtp.TryGetValue(ssrc, out var stream);
        rolloverCounter = found ? stream!.RolloverCounter : 0;
        return found;
    }

    private bool RejectUnknownStream(out ParseError error)
    {
        UnknownStreamPackets++;
        error = ParseError.UnknownStream;
        return false;
    }

    private bool RejectReplayed(out ParseError error)
    {
        ReplayedPackets++;
        error = ParseError.Replayed;
        return false;
    }

    private bool RejectAuthentication(out ParseError error)
    {
        AuthenticationFailures++;
        error = ParseError.AuthenticationFailed;
        return false;
    }

    public void Dispose() => _cipher.Dispose();
}
