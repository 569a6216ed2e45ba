namespace Streamer.Media.Srtp;

/// <summary>
/// The per-profile transform: authenticates and decrypts or encrypts and tags one packet
/// in place. The context owns parsing, stream state and replay protection; a cipher only
/// sees a packet whose layout is already checked.
/// </summary>
internal abstract class SrtpCipher : IDisposable
{
    /// <summary>Bytes an SRTP packet carries beyond the RTP packet (the tag).</summary>
    public abstract int RtpOverhead { get; }

    /// <summary>Bytes an SRTCP packet carries beyond the RTCP packet (index word and tag).</summary>
    public abstract int RtcpOverhead { get; }

    /// <summary>Where the E flag and SRTCP index word sit in a protected packet of this length.</summary>
    public abstract int RtcpIndexOffset(int packetLength);

    /// <summary>
    /// Verifies the tag of <paramref name="packet"/> (header, payload, tag) and decrypts the
    /// payload in place. False on a tag mismatch.
    /// </summary>
    public abstract bool TryDecryptRtp(Span<byte> packet, int headerLength, uint ssrc, long index);

    /// <summary>
    /// Encrypts the payload of the first <paramref name="plainLength"/> bytes in place and
    /// writes the tag after them; <paramref name="packet"/> has room for <see cref="RtpOverhead"/> more.
    /// </summary>
    public abstract void EncryptRtp(Span<byte> packet, int headerLength, int plainLength, uint ssrc, long index);

    /// <summary>Verifies and, when <paramref name="encrypted"/>, decrypts an SRTCP packet in place.</summary>
    public abstract bool TryDecryptRtcp(Span<byte> packet, uint ssrc, uint index, bool encrypted);

    /// <summary>Encrypts the RTCP packet in place and appends index word and tag.</summary>
    public abstract void EncryptRtcp(Span<byte> packet, int plainLength, uint ssrc, uint index);

    public abstract void Dispose();

    public static SrtpCipher Create(SrtpProfile profile, SrtpSessionKeys keys) => profile switch
    {
        SrtpProfile.Aes128CmHmacSha1_80 => new SrtpCipherAesCmHmacSha1(keys, rtpTagLength: 10),
        SrtpProfile.Aes128CmHmacSha1_32 => new SrtpCipherAesCmHmacSha1(keys, rtpTagLength: 4),
        SrtpProfile.AeadAes128Gcm => new SrtpCipherAeadAesGcm(keys),
        _ => throw new ArgumentOutOfRangeException(nameof(profile), profile, "Unsupported SRTP profile."),
    };
}
