using Streamer.Media.Srtp;
using static Streamer.Media.Tests.Srtp.SrtpTestPackets;

namespace Streamer.Media.Tests.Srtp;

public class SrtpContextRolloverTests
{
    private const uint Ssrc = 0x11223344;

    [Theory]
    [MemberData(nameof(AllProfiles), MemberType = typeof(SrtpTestPackets))]
    public void Sequence_wrap_increments_rollover_counter_and_unprotect_continues(SrtpProfile profile)
    {
        using var sender = CreateContext(profile);
        using var receiver = CreateContext(profile);
        ushort[] sequences = [65533, 65534, 65535, 0, 1, 2];

        foreach (var sequence in sequences)
        {
            var plain = BuildRtp(sequence);
            var packet = ProtectRtp(sender, plain);
            Assert.True(receiver.TryUnprotectRtp(packet, out var plainLength, out var error), $"seq {sequence}: {error}");
            Assert.Equal(plain, packet[..plainLength]);
        }

        Assert.True(receiver.TryGetInboundRolloverCounter(Ssrc, out var roc));
        Assert.Equal(1u, roc);
    }

    [Theory]
    [MemberData(nameof(AllProfiles), MemberType = typeof(SrtpTestPackets))]
    public void Packet_reordered_from_before_the_wrap_is_accepted_with_the_old_counter(SrtpProfile profile)
    {
        using var sender = CreateContext(profile);
        using var receiver = CreateContext(profile);
        var before = ProtectRtp(sender, BuildRtp(65534));
        var late = ProtectRtp(sender, BuildRtp(65535));
        var after0 = ProtectRtp(sender, BuildRtp(0));
        var after1 = ProtectRtp(sender, BuildRtp(1));

        Assert.True(receiver.TryUnprotectRtp(before, out _, out _));
        Assert.True(receiver.TryUnprotectRtp(after0, out _, out _));
        Assert.True(receiver.TryUnprotectRtp(after1, out _, out _));
        var plain = BuildRtp(65535);
        Assert.True(receiver.TryUnprotectRtp(late, out var plainLength, out var error), error.ToString());

        Assert.Equal(plain, late[..plainLength]);
        Assert.True(receiver.TryGetInboundRolloverCounter(Ssrc, out var roc));
        Assert.Equal(1u, roc);   // the late packet did not pull the counter back
    }

    [Fact]
    public void Rollover_counter_keeps_counting_over_several_wraps()
    {
        using var sender = CreateContext(SrtpProfile.AeadAes128Gcm);
        using var receiver = CreateContext(SrtpProfile.AeadAes128Gcm);

        // Steps of 20000 cross the wrap every few packets while staying under half the space.
        var sequence = 0;
        for (var i = 0; i < 20; i++, sequence += 20000)
        {
            var packet = ProtectRtp(sender, BuildRtp((ushort)sequence));
            Assert.True(receiver.TryUnprotectRtp(packet, out _, out var error), $"step {i}: {error}");
        }

        Assert.True(receiver.TryGetInboundRolloverCounter(Ssrc, out var roc));
        Assert.Equal((uint)((sequence - 20000) >> 16), roc);
        Assert.Equal(5u, roc);
    }

    [Fact]
    public void Sender_protects_retransmission_from_before_the_wrap_with_the_old_counter()
    {
        using var sender = CreateContext(SrtpProfile.Aes128CmHmacSha1_80);
        using var receiver = CreateContext(SrtpProfile.Aes128CmHmacSha1_80);
        var first = ProtectRtp(sender, BuildRtp(65534));
        ProtectRtp(sender, BuildRtp(65535));           // lost on the way
        var afterWrap = ProtectRtp(sender, BuildRtp(0));
        var retransmission = ProtectRtp(sender, BuildRtp(65535));   // answering a NACK

        Assert.True(receiver.TryUnprotectRtp(first, out _, out _));
        Assert.True(receiver.TryUnprotectRtp(afterWrap, out _, out _));
        Assert.True(receiver.TryUnprotectRtp(retransmission, out _, out var error), error.ToString());
    }

    [Fact]
    public void Packet_that_would_need_a_negative_rollover_counter_is_rejected_as_too_old()
    {
        using var early = CreateContext(SrtpProfile.Aes128CmHmacSha1_80);
        using var late = CreateContext(SrtpProfile.Aes128CmHmacSha1_80);
        using var receiver = CreateContext(SrtpProfile.Aes128CmHmacSha1_80);
        var first = ProtectRtp(early, BuildRtp(5));
        var farAhead = ProtectRtp(late, BuildRtp(65535));   // authentic with counter 0, but 65530 ahead

        Assert.True(receiver.TryUnprotectRtp(first, out _, out _));

        // Estimation reads 65535 after 5 as the packet before the stream's first one.
        Assert.False(receiver.TryUnprotectRtp(farAhead, out _, out var error));
        Assert.Equal(ParseError.Replayed, error);
    }
}
