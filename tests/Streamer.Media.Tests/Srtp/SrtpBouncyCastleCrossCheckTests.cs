using System.Buffers.Binary;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;
using Streamer.Media.Srtp;

namespace Streamer.Media.Tests.Srtp;

/// <summary>
/// Rebuilds protected packets from the RFC 3711 formulas with BouncyCastle's AES engine in
/// SIC (counter) mode and HMac(Sha1Digest), sharing no code with the implementation.
/// </summary>
public class SrtpBouncyCastleCrossCheckTests
{
    private static readonly byte[] MasterKey = Hex.Parse("00112233445566778899aabbccddeeff");
    private static readonly byte[] MasterSalt = Hex.Parse("a0a1a2a3a4a5a6a7a8a9aaabacad");

    [Fact]
    public void Protected_rtp_equals_bouncycastle_keystream_and_hmac_across_a_wrap()
    {
        using var context = SrtpContext.Create(SrtpProfile.Aes128CmHmacSha1_80, MasterKey, MasterSalt);
        var cipherKey = Derive(0x00, 16);
        var authKey = Derive(0x01, 20);
        var salt = Derive(0x02, 14);

        foreach (var (sequence, roc) in new (ushort, uint)[] { (65535, 0), (0, 1), (1, 1) })
        {
            var plain = SrtpTestPackets.BuildRtp(sequence, ssrc: 0xCAFEBABE, payloadLength: 333, csrcCount: 1, extensionWords: 2, padding: 2);
            const int headerLength = 12 + 4 + 12;
            var actual = SrtpTestPackets.ProtectRtp(context, plain);

            var expected = new byte[plain.Length + 10];
            plain.CopyTo(expected, 0);
            var iv = Iv(salt, 0xCAFEBABE, ((ulong)roc << 16) | sequence);
            XorKeystream(cipherKey, iv, expected.AsSpan(headerLength, plain.Length - headerLength));
            var rocBytes = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(rocBytes, roc);
            var tag = Hmac(authKey, expected.AsSpan(0, plain.Length).ToArray(), rocBytes);
            tag.AsSpan(0, 10).CopyTo(expected.AsSpan(plain.Length));

            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void Protected_rtcp_equals_bouncycastle_keystream_and_hmac()
    {
        using var context = SrtpContext.Create(SrtpProfile.Aes128CmHmacSha1_80, MasterKey, MasterSalt);
        var cipherKey = Derive(0x03, 16);
        var authKey = Derive(0x04, 20);
        var salt = Derive(0x05, 14);
        var plain = SrtpTestPackets.BuildRtcp(senderSsrc: 0x01020304);

        for (uint index = 0; index < 3; index++)
        {
            var actual = SrtpTestPackets.ProtectRtcp(context, plain);

            var expected = new byte[plain.Length + 14];
            plain.CopyTo(expected, 0);
            XorKeystream(cipherKey, Iv(salt, 0x01020304, index), expected.AsSpan(8, plain.Length - 8));
            BinaryPrimitives.WriteUInt32BigEndian(expected.AsSpan(plain.Length), 0x80000000u | index);
            var tag = Hmac(authKey, expected.AsSpan(0, plain.Length + 4).ToArray(), []);
            tag.AsSpan(0, 10).CopyTo(expected.AsSpan(plain.Length + 4));

            Assert.Equal(expected, actual);
        }
    }

    // RFC 3711 section 4.3.1 with kdr 0: IV = (label << 64 XOR salt) * 2^16.
    private static byte[] Derive(byte label, int length)
    {
        var iv = new byte[16];
        MasterSalt.CopyTo(iv, 0);
        iv[7] ^= label;
        var output = new byte[length];
        XorKeystream(MasterKey, iv, output);
        return output;
    }

    // RFC 3711 section 4.1.1: IV = salt * 2^16 XOR SSRC * 2^64 XOR index * 2^16.
    private static byte[] Iv(byte[] salt, uint ssrc, ulong index)
    {
        var iv = new byte[16];
        salt.CopyTo(iv, 0);
        var ssrcBytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(ssrcBytes, ssrc);
        for (var i = 0; i < 4; i++)
        {
            iv[4 + i] ^= ssrcBytes[i];
        }

        for (var i = 0; i < 6; i++)
        {
            iv[8 + i] ^= (byte)(index >> (8 * (5 - i)));
        }

        return iv;
    }

    private static void XorKeystream(byte[] key, byte[] iv, Span<byte> data)
    {
        var sic = new SicBlockCipher(new AesEngine());
        sic.Init(true, new ParametersWithIV(new KeyParameter(key), iv));
        var zero = new byte[16];
        var block = new byte[16];
        for (var offset = 0; offset < data.Length; offset += 16)
        {
            sic.ProcessBlock(zero, 0, block, 0);
            for (var i = 0; i < 16 && offset + i < data.Length; i++)
            {
                data[offset + i] ^= block[i];
            }
        }
    }

    private static byte[] Hmac(byte[] key, byte[] first, byte[] second)
    {
        var hmac = new HMac(new Sha1Digest());
        hmac.Init(new KeyParameter(key));
        hmac.BlockUpdate(first, 0, first.Length);
        hmac.BlockUpdate(second, 0, second.Length);
        var output = new byte[hmac.GetMacSize()];
        hmac.DoFinal(output, 0);
        return output;
    }
}
