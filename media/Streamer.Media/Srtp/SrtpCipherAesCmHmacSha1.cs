using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Streamer.Media.Srtp;

/// <summary>
/// AES_CM_128_HMAC_SHA1_80 and _32 (RFC 3711 sections 4.1.1 and 4.2.1).
/// <code>
/// SRTP:   RTP header | encrypted payload (incl. padding) | auth tag (10 or 4)
///         tag = HMAC-SHA1(header | encrypted payload | ROC)
/// SRTCP:  header + sender SSRC (8) | encrypted rest | E|SRTCP index (4) | auth tag (10)
///         tag = HMAC-SHA1(everything before the tag)
/// IV:     (salt * 2^16) XOR (SSRC * 2^64) XOR (index * 2^16)
/// </code>
/// </summary>
/// <remarks>Not thread-safe: HMAC contexts and counter scratch are reused per packet.</remarks>
internal sealed class SrtpCipherAesCmHmacSha1 : SrtpCipher
{
    private const int RtcpTagLength = 10;
    private const int RtcpIndexLength = 4;
    private const int RtcpEncryptedOffset = 8;
    private const int Sha1Length = 20;
    private const int IvSsrcOffset = 4;
    private const int IvIndexOffset = 8;
    private const int IndexBytes = 6;

    private readonly int _rtpTagLength;
    private readonly AesCounterMode _rtpCipher;
    private readonly AesCounterMode _rtcpCipher;
    private readonly IncrementalHash _rtpMac;
    private readonly IncrementalHash _rtcpMac;
    private readonly byte[] _rtpSalt;
    private readonly byte[] _rtcpSalt;

    public SrtpCipherAesCmHmacSha1(SrtpSessionKeys keys, int rtpTagLength)
    {
        _rtpTagLength = rtpTagLength;
        _rtpCipher = new AesCounterMode(keys.RtpCipherKey);
        _rtcpCipher = new AesCounterMode(keys.RtcpCipherKey);
#pragma warning disable CA5350 // HMAC-SHA1 is what the SRTP profiles mandate.
        _rtpMac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, keys.RtpAuthKey);
        _rtcpMac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, keys.RtcpAuthKey);
#pragma warning restore CA5350
        _rtpSalt = keys.RtpSalt;
        _rtcpSalt = keys.RtcpSalt;
    }

    public override int RtpOverhead => _rtpTagLength;

    public override int RtcpOverhead => RtcpIndexLength + RtcpTagLength;

    public override int RtcpIndexOffset(int packetLength) => packetLength - RtcpTagLength - RtcpIndexLength;

    public override bool TryDecryptRtp(Span<byte> packet, int headerLength, uint ssrc, long index)
    {
        var authenticatedLength = packet.Length - _rtpTagLength;
        Span<byte> mac = stackalloc byte[Sha1Length];
        RtpMac(packet[..authenticatedLength], (uint)(index >> 16), mac);
        if (!CryptographicOperations.FixedTimeEquals(mac[.._rtpTagLength], packet.Slice(authenticatedLength, _rtpTagLength)))
        {
            return false;
        }

        Span<byte> iv = stackalloc byte[AesCounterMode.BlockSize];
        BuildIv(_rtpSalt, ssrc, index, iv);
        _rtpCipher.Transform(iv, packet[headerLength..authenticatedLength]);
        return true;
    }

    public override void EncryptRtp(Span<byte> packet, int headerLength, int plainLength, uint ssrc, long index)
    {
        Span<byte> iv = stackalloc byte[AesCounterMode.BlockSize];
        BuildIv(_rtpSalt, ssrc, index, iv);
        _rtpCipher.Transform(iv, packet[headerLength..plainLength]);
        Span<byte> mac = stackalloc byte[Sha1Length];
        RtpMac(packet[..plainLength], (uint)(index >> 16), mac);
        mac[.._rtpTagLength].CopyTo(packet[plainLength..]);
    }

    public override bool TryDecryptRtcp(Span<byte> packet, uint ssrc, uint index, bool encrypted)
    {
        var authenticatedLength = packet.Length - RtcpTagLength;
        Span<byte> mac = stackalloc byte[Sha1Length];
        _rtcpMac.AppendData(packet[..authenticatedLength]);
        _rtcpMac.TryGetHashAndReset(mac, out _);
        if (!CryptographicOperations.FixedTimeEquals(mac[..RtcpTagLength], packet.Slice(authenticatedLength, RtcpTagLength)))
        {
            return false;
        }

        if (encrypted)
        {
            Span<byte> iv = stackalloc byte[AesCounterMode.BlockSize];
            BuildIv(_rtcpSalt, ssrc, index, iv);
            _rtcpCipher.Transform(iv, packet[RtcpEncryptedOffset..(authenticatedLength - RtcpIndexLength)]);
        }

        return true;
    }

    public override void EncryptRtcp(Span<byte> packet, int plainLength, uint ssrc, uint index)
    {
        Span<byte> iv = stackalloc byte[AesCounterMode.BlockSize];
        BuildIv(_rtcpSalt, ssrc, index, iv);
        _rtcpCipher.Transform(iv, packet[RtcpEncryptedOffset..plainLength]);
        BinaryPrimitives.WriteUInt32BigEndian(packet[plainLength..], SrtcpIndexWord.Encrypted | index);
        var authenticatedLength = plainLength + RtcpIndexLength;
        Span<byte> mac = stackalloc byte[Sha1Length];
        _rtcpMac.AppendData(packet[..authenticatedLength]);
        _rtcpMac.TryGetHashAndReset(mac, out _);
        mac[..RtcpTagLength].CopyTo(packet[authenticatedLength..]);
    }

    // RFC 3711 section 4.2: the ROC is authenticated but never sent.
    private void RtpMac(ReadOnlySpan<byte> authenticated, uint roc, Span<byte> mac)
    {
        Span<byte> rocBytes = stackalloc byte[sizeof(uint)];
        BinaryPrimitives.WriteUInt32BigEndian(rocBytes, roc);
        _rtpMac.AppendData(authenticated);
        _rtpMac.AppendData(rocBytes);
        _rtpMac.TryGetHashAndReset(mac, out _);
    }

    private static void BuildIv(ReadOnlySpan<byte> salt, uint ssrc, long index, Span<byte> iv)
    {
        iv.Clear();
        Span<byte> indexBytes = stackalloc byte[sizeof(ulong)];
        BinaryPrimitives.WriteUInt32BigEndian(iv[IvSsrcOffset..], ssrc);
        BinaryPrimitives.WriteUInt64BigEndian(indexBytes, (ulong)index);
        indexBytes[(sizeof(ulong) - IndexBytes)..].CopyTo(iv[IvIndexOffset..]);
        for (var i = 0; i < salt.Length; i++)
        {
            iv[i] ^= salt[i];
        }
    }

    public override void Dispose()
    {
        _rtpCipher.Dispose();
        _rtcpCipher.Dispose();
        _rtpMac.Dispose();
        _rtcpMac.Dispose();
    }
}
