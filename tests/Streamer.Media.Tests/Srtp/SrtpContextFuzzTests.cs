using Streamer.Media.Srtp;
using static Streamer.Media.Tests.Srtp.SrtpTestPackets;

namespace Streamer.Media.Tests.Srtp;

public class SrtpContextFuzzTests
{
    [Theory]
    [MemberData(nameof(AllProfiles), MemberType = typeof(SrtpTestPackets))]
    public void Random_garbage_is_rejected_without_throwing(SrtpProfile profile)
    {
        var random = new Random(1234);
        using var context = CreateContext(profile);
        var buffer = new byte[256];

        for (var i = 0; i < 2000; i++)
        {
            var packet = buffer.AsSpan(0, random.Next(buffer.Length + 1));
            random.NextBytes(packet);
            if (random.Next(2) == 0 && packet.Length > 0)
            {
                packet[0] = (byte)(0x80 | packet[0] & 0x3F);   // half of them pass the version check
            }

            Assert.False(context.TryUnprotectRtp(packet, out var plainLength, out var error));
            Assert.NotEqual(ParseError.None, error);
            Assert.Equal(0, plainLength);
            Assert.False(context.TryUnprotectRtcp(packet, out _, out error));
            Assert.NotEqual(ParseError.None, error);
        }

        Assert.Equal(0, context.ReplayedPackets);   // garbage never got far enough to create state
    }

    [Theory]
    [MemberData(nameof(AllProfiles), MemberType = typeof(SrtpTestPackets))]
    public void Mutated_genuine_packets_are_rejected_without_throwing(SrtpProfile profile)
    {
        var random = new Random(4321);
        using var sender = CreateContext(profile);
        using var receiver = CreateContext(profile);
        var rtp = ProtectRtp(sender, BuildRtp(77, csrcCount: 2, extensionWords: 2, payloadLength: 60, padding: 3));
        var rtcp = ProtectRtcp(sender, BuildRtcp());

        for (var i = 0; i < 1500; i++)
        {
            var source = i % 2 == 0 ? rtp : rtcp;
            var packet = (byte[])source.Clone();
            var length = random.Next(3) == 0 ? random.Next(packet.Length) : packet.Length;
            var position = random.Next(packet.Length);
            packet[position] ^= (byte)random.Next(1, 256);

            var accepted = i % 2 == 0
                ? receiver.TryUnprotectRtp(packet.AsSpan(0, length), out _, out var error)
                : receiver.TryUnprotectRtcp(packet.AsSpan(0, length), out _, out error);

            Assert.False(accepted);
            Assert.NotEqual(ParseError.None, error);
        }
    }

    [Fact]
    public void Protect_of_garbage_never_throws()
    {
        var random = new Random(99);
        using var context = CreateContext(SrtpProfile.Aes128CmHmacSha1_80);
        var input = new byte[200];
        var output = new byte[256];

        for (var i = 0; i < 2000; i++)
        {
            var packet = input.AsSpan(0, random.Next(input.Length + 1));
            random.NextBytes(packet);
            var destination = output.AsSpan(0, random.Next(output.Length + 1));
            if (context.TryProtectRtp(packet, destination, out var written))
            {
                Assert.Equal(packet.Length + context.RtpOverhead, written);
            }

            if (context.TryProtectRtcp(packet, destination, out written))
            {
                Assert.Equal(packet.Length + context.RtcpOverhead, written);
            }
        }
    }
}
