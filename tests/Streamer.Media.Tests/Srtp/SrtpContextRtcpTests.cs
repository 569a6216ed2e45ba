using System.Buffers.Binary;
using Streamer.Media.Srtp;
using static Streamer.Media.Tests.Srtp.SrtpTestPackets;

namespace Streamer.Media.Tests.Srtp;

public class SrtpContextRtcpTests
{
    [Theory]
    [MemberData(nameof(AllProfiles), MemberType = typeof(SrtpTestPackets))]
    public void Round_trip_restores_compound_packet(SrtpProfile profile)
    {
        using var sender = CreateContext(profile);
        using var receiver = CreateContext(profile);
        var plain = BuildRtcp();

        var packet = ProtectRtcp(sender, plain);

        Assert.Equal(plain[..8], packet[..8]);                        // header and sender SSRC stay clear
        Assert.NotEqual(plain[8..], packet[8..plain.Length]);
        Assert.True(receiver.TryUnprotectRtcp(packet, out var plainLength, out var error));
        Assert.Equal(ParseError.None, error);
        Assert.Equal(plain, packet[..plainLength]);
    }

    [Theory]
    [MemberData(nameof(AllProfiles), MemberType = typeof(SrtpTestPackets))]
    public void Protect_sets_e_flag_and_counts_the_index_per_ssrc(SrtpProfile profile)
    {
        using var sender = CreateContext(profile);
        var indexOffset = profile == SrtpProfile.AeadAes128Gcm ? 4 : 14;   // from the end

        var words = Enumerable.Range(0, 3)
            .Select(_ => ProtectRtcp(sender, BuildRtcp()))
            .Select(p => BinaryPrimitives.ReadUInt32BigEndian(p.AsSpan(p.Length - indexOffset)))
            .ToArray();
        var other = ProtectRtcp(sender, BuildRtcp(senderSsrc: 9));

        Assert.Equal([0x80000000u, 0x80000001u, 0x80000002u], words);
        Assert.Equal(0x80000000u, BinaryPrimitives.ReadUInt32BigEndian(other.AsSpan(other.Length - indexOffset)));
    }

    [Theory]
    [MemberData(nameof(AllProfiles), MemberType = typeof(SrtpTestPackets))]
    public void Unprotect_rejects_replayed_rtcp(SrtpProfile profile)
    {
        using var sender = CreateContext(profile);
        using var receiver = CreateContext(profile);
        var packet = ProtectRtcp(sender, BuildRtcp());
        var copy = (byte[])packet.Clone();

        Assert.True(receiver.TryUnprotectRtcp(packet, out _, out _));
        Assert.False(receiver.TryUnprotectRtcp(copy, out _, out var error));

        Assert.Equal(ParseError.Replayed, error);
        Assert.Equal(1, receiver.ReplayedPackets);
    }

    [Theory]
    [MemberData(nameof(AllProfiles), MemberType = typeof(SrtpTestPackets))]
    public void Unprotect_rejects_tampered_rtcp_byte_anywhere(SrtpProfile profile)
    {
        using var sender = CreateContext(profile);
        using var receiver = CreateContext(profile);
        var packet = ProtectRtcp(sender, BuildRtcp());

        for (var i = 1; i < packet.Length; i++)
        {
            var tampered = (byte[])packet.Clone();
            tampered[i] ^= 0x04;
            Assert.False(receiver.TryUnprotectRtcp(tampered, out _, out var error));
            Assert.Equal(ParseError.AuthenticationFailed, error);
        }

        Assert.Equal(packet.Length - 1, receiver.AuthenticationFailures);
        Assert.True(receiver.TryUnprotectRtcp(packet, out _, out _));
    }

    [Fact]
    public void Rtcp_and_rtp_replay_windows_are_independent()
    {
        using var sender = CreateContext(SrtpProfile.Aes128CmHmacSha1_80);
        using var receiver = CreateContext(SrtpProfile.Aes128CmHmacSha1_80);

        // SRTP index 0 and SRTCP index 0 of the same SSRC are different packets.
        Assert.True(receiver.TryUnprotectRtp(ProtectRtp(sender, BuildRtp(0, ssrc: 0x55667788)), out _, out _));
        Assert.True(receiver.TryUnprotectRtcp(ProtectRtcp(sender, BuildRtcp()), out _, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(21)]
    public void Unprotect_rejects_truncated_rtcp(int length)
    {
        using var sender = CreateContext(SrtpProfile.Aes128CmHmacSha1_80);
        using var receiver = CreateContext(SrtpProfile.Aes128CmHmacSha1_80);
        var packet = ProtectRtcp(sender, BuildRtcp());

        Assert.False(receiver.TryUnprotectRtcp(packet.AsSpan(0, length), out _, out var error));

        Assert.Equal(ParseError.TooShort, error);
    }

    [Fact]
    public void Unprotect_rejects_rtcp_with_wrong_version()
    {
        using var sender = CreateContext(SrtpProfile.AeadAes128Gcm);
        using var receiver = CreateContext(SrtpProfile.AeadAes128Gcm);
        var packet = ProtectRtcp(sender, BuildRtcp());
        packet[0] &= 0x3F; // v=0

        Assert.False(receiver.TryUnprotectRtcp(packet, out _, out var error));

        Assert.Equal(ParseError.BadVersion, error);
    }
}
