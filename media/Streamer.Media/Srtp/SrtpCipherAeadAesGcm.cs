using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Streamer.Media.Srtp;

/// <summary>
/// AEAD_AES_128_GCM (RFC 7714 sections 8 to 10).
/// <code>
/// SRTP:   RTP header (AAD) | ciphertext | tag (16)
/// SRTCP:  header + sender SSRC (8, AAD) | ciphertext | tag (16) | E|SRTCP index (4, AAD)
///         with E = 0 the whole RTCP packet is AAD and only the tag follows it
/// RTP IV:   00 00 | SSRC | ROC | SEQ          XOR 12-octet session salt
/// RTCP IV:  00 00 | SSRC | 00 00 | 0|index    XOR 12-octet session salt
/// </code>
/// </summary>
/// <remarks>Not thread-safe: the AAD scratch is reused per packet.</remarks>
internal sealed class SrtpCipherAeadAesGcm : SrtpCipher
{
    private const int TagLength = 16;
    private const int NonceLength = 12;
    private const int NonceSsrcOffset = 2;
    private const int NonceRtpIndexOffset = 6;
    private const int NonceRtcpIndexOffset = 8;
    private const int RtcpIndexLength = 4;
    private const int RtcpHeaderLength = 8;

    private readonly AesGcm _rtp;
    private readonly AesGcm _rtcp;
    private readonly byte[] _rtpSalt;
    private readonly byte[] _rtcpSalt;

    // Unencrypted SRTCP authenticates the packet and the index word, which are not adjacent.
    private byte[] _aadScratch = new byte[1500];

    public SrtpCipherAeadAesGcm(SrtpSessionKeys keys)
    {
        _rtp = new AesGcm(keys.RtpCipherKey, TagLength);
        _rtcp = new AesGcm(keys.RtcpCipherKey, TagLength);
        _rtpSalt = keys.RtpSalt;
        _rtcpSalt = keys.RtcpSalt;
    }

    public override int RtpOverhead => TagLength;

    public override int RtcpOverhead => TagLength + RtcpIndexLength;

    public override int RtcpIndexOffset(int packetLength) => packetLength - RtcpIndexLength;

    public override bool TryDecryptRtp(Span<byte> packet, int headerLength, uint ssrc, long index)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        RtpNonce(ssrc, index, nonce);
        var tagOffset = packet.Length - TagLength;
        var payload = packet[headerLength..tagOffset];
        return TryOpen(_rtp, nonce, payload, packet[tagOffset..], payload, packet[..headerLength]);
    }

    public override void EncryptRtp(Span<byte> packet, int headerLength, int plainLength, uint ssrc, long index)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        RtpNonce(ssrc, index, nonce);
        var payload = packet[headerLength..plainLength];
        _rtp.Encrypt(nonce, payload, payload, packet.Slice(plainLength, TagLength), packet[..headerLength]);
    }

    public override bool TryDecryptRtcp(Span<byte> packet, uint ssrc, uint index, bool encrypted)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        RtcpNonce(ssrc, index, nonce);
        var indexOffset = packet.Length - RtcpIndexLength;
        var tagOffset = indexOffset - TagLength;
        var tag = packet[tagOffset..indexOffset];
        var indexWord = packet[indexOffset..];
        if (encrypted)
        {
            Span<byte> aad = stackalloc byte[RtcpHeaderLength + RtcpIndexLength];
            packet[..RtcpHeaderLength].CopyTo(aad);
            indexWord.CopyTo(aad[RtcpHeaderLength..]);
            var body = packet[RtcpHeaderLength..tagOffset];
            return TryOpen(_rtcp, nonce, body, tag, body, aad);
        }

        var aadLength = tagOffset + RtcpIndexLength;
        if (_aadScratch.Length < aadLength)
        {
            _aadScratch = new byte[aadLength];
        }

        var scratch = _aadScratch.AsSpan(0, aadLength);
        packet[..tagOffset].CopyTo(scratch);
        indexWord.CopyTo(scratch[tagOffset..]);
        return TryOpen(_rtcp, nonce, [], tag, [], scratch);
    }

    public override void EncryptRtcp(Span<byte> packet, int plainLength, uint ssrc, uint index)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        RtcpNonce(ssrc, index, nonce);
        Span<byte> aad = stackalloc byte[RtcpHeaderLength + RtcpIndexLength];
        packet[..RtcpHeaderLength].CopyTo(aad);
        BinaryPrimitives.WriteUInt32BigEndian(aad[RtcpHeaderLength..], SrtcpIndexWord.Encrypted | index);
        var body = packet[RtcpHeaderLength..plainLength];
        _rtcp.Encrypt(nonce, body, body, packet.Slice(plainLength, TagLength), aad);
        aad[RtcpHeaderLength..].CopyTo(packet[(plainLength + TagLength)..]);
    }

    // AesGcm reports a bad tag only by exception; it is caught here so that a forged packet
    // is an ordinary rejection for the caller.
    private static bool TryOpen(AesGcm gcm, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> aad)
    {
        try
        {
            gcm.Decrypt(nonce, ciphertext, tag, plaintext, aad);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }

    private void RtpNonce(uint ssrc, long index, Span<byte> nonce)
    {
        nonce.Clear();
        BinaryPrimitives.WriteUInt32BigEndian(nonce[NonceSsrcOffset..], ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(nonce[NonceRtpIndexOffset..], (uint)(index >> 16));
        BinaryPrimitives.WriteUInt16BigEndian(nonce[(NonceRtpIndexOffset + 4)..], (ushort)index);
        Xor(nonce, _rtpSalt);
    }

    private void RtcpNonce(uint ssrc, uint index, Span<byte> nonce)
    {
        nonce.Clear();
        BinaryPrimitives.WriteUInt32BigEndian(nonce[NonceSsrcOffset..], ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(nonce[NonceRtcpIndexOffset..], index);
        Xor(nonce, _rtcpSalt);
    }

    private static void Xor(Span<byte> nonce, ReadOnlySpan<byte> salt)
    {
        for (var i = 0; i < NonceLength; i++)
        {
            nonce[i] ^= salt[i];
        }
    }

    public override void Dispose()
    {
        _rtp.Dispose();
        _rtcp.Dispose();
    }
}
