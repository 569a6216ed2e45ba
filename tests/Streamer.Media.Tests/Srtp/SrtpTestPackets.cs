using System.Buffers.Binary;
using Streamer.Media.Srtp;

namespace Streamer.Media.Tests.Srtp;

/// <summary>Builds plain RTP and RTCP packets and matching sender/receiver contexts.</summary>
internal static class SrtpTestPackets
{
    public static readonly SrtpProfile[] Profiles =
        [SrtpProfile.Aes128CmHmacSha1_80, SrtpProfile.Aes128CmHmacSha1_32, SrtpProfile.AeadAes128Gcm];

    public static TheoryData<SrtpProfile> AllProfiles => new(Profiles);

    public static SrtpContext CreateContext(SrtpProfile profile, SrtpOptions? options = null, int seed = 1)
    {
        var random = new Random(seed);
        var key = new byte[profile.MasterKeyLength()];
        var salt = new byte[profile.MasterSaltLength()];
        random.NextBytes(key);
        random.NextBytes(salt);
        return SrtpContext.Create(profile, key, salt, options);
    }

    /// <summary>An RTP packet: optional CSRCs, a one-byte-header extension and padding.</summary>
    public static byte[] BuildRtp(ushort sequence, uint ssrc = 0x11223344, int payloadLength = 40, int csrcCount = 0, int extensionWords = 0, int padding = 0)
    {
        var headerLength = 12 + 4 * csrcCount + (extensionWords > 0 ? 4 + 4 * extensionWords : 0);
        var packet = new byte[headerLength + payloadLength + padding];
        packet[0] = (byte)(0x80 | (padding > 0 ? 0x20 : 0) | (extensionWords > 0 ? 0x10 : 0) | csrcCount);
        packet[1] = 96;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), sequence * 3000u);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        var offset = 12;
        for (var i = 0; i < csrcCount; i++, offset += 4)
        {
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(offset), 0xC0000000u + (uint)i);
        }

        if (extensionWords > 0)
        {
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(offset), 0xBEDE);
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(offset + 2), (ushort)extensionWords);
            for (var i = 4; i < 4 + 4 * extensionWords; i++)
            {
                packet[offset + i] = (byte)(0x10 + i);
            }

            offset += 4 + 4 * extensionWords;
        }

        for (var i = 0; i < payloadLength; i++)
        {
            packet[offset + i] = (byte)(sequence + i);
        }

        if (padding > 0)
        {
            packet[^1] = (byte)padding;
        }

        return packet;
    }

    /// <summary>A compound RTCP packet: a receiver report with one block followed by a PLI.</summary>
    public static byte[] BuildRtcp(uint senderSsrc = 0x55667788)
    {
        var packet = new byte[32 + 12];
        packet[0] = 0x81;                                                        // v=2, RC=1
        packet[1] = 201;                                                         // RR
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), 7);               // 8 words
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), senderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), 0x11223344);     // reportee
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(12), 0x01000002);    // lost
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(16), 0x0001F000);    // highest seq
        packet[32] = 0x81;                                                       // v=2, FMT=1
        packet[33] = 206;                                                        // PSFB (PLI)
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(34), 2);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(36), senderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(40), 0x11223344);    // media source
        return packet;
    }

    public static byte[] ProtectRtp(SrtpContext sender, byte[] plain)
    {
        var output = new byte[plain.Length + sender.RtpOverhead];
        Assert.True(sender.TryProtectRtp(plain, output, out var written));
        Assert.Equal(output.Length, written);
        return output;
    }

    public static byte[] ProtectRtcp(SrtpContext sender, byte[] plain)
    {
        var output = new byte[plain.Length + sender.RtcpOverhead];
        Assert.True(sender.TryProtectRtcp(plain, output, out var written));
        Assert.Equal(output.Length, written);
        return output;
    }
}
