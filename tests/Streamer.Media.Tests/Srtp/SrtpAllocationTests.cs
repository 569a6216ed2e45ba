using Streamer.Media.Srtp;
using static Streamer.Media.Tests.Srtp.SrtpTestPackets;

namespace Streamer.Media.Tests.Srtp;

public class SrtpAllocationTests
{
    [Theory]
    [MemberData(nameof(AllProfiles), MemberType = typeof(SrtpTestPackets))]
    public void Protect_and_unprotect_do_not_allocate_per_packet(SrtpProfile profile)
    {
        using var sender = CreateContext(profile);
        using var receiver = CreateContext(profile);
        var plains = Enumerable.Range(0, 300).Select(i => BuildRtp((ushort)i, payloadLength: 1100)).ToArray();
        var rtcp = BuildRtcp();
        var rtp = new byte[1300];
        var srtcp = new byte[rtcp.Length + sender.RtcpOverhead];

        // The first packet of an SSRC creates its stream state; measure the packets after it.
        Assert.True(sender.TryProtectRtp(plains[0], rtp, out var written));
        Assert.True(receiver.TryUnprotectRtp(rtp.AsSpan(0, written), out _, out _));
        Assert.True(sender.TryProtectRtcp(rtcp, srtcp, out _));
        Assert.True(receiver.TryUnprotectRtcp(srtcp, out _, out _));

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 1; i < plains.Length; i++)
        {
            Assert.True(sender.TryProtectRtp(plains[i], rtp, out written));
            Assert.True(receiver.TryUnprotectRtp(rtp.AsSpan(0, written), out _, out _));
            Assert.True(sender.TryProtectRtcp(rtcp, srtcp, out _));
            Assert.True(receiver.TryUnprotectRtcp(srtcp, out _, out _));
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
