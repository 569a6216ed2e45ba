using Streamer.Media.Rtcp;

namespace Streamer.Media.Tests.Rtcp;

public class TransportLayerNackTests
{
    private static readonly byte[] TwoPairs =
    [
        0x81, 0xcd, 0x00, 0x04, // v=2, p=0, FMT=1, RTPFB, len=4
        0x90, 0x2f, 0x9e, 0x2e, // sender=0x902f9e2e
        0x00, 0x00, 0x04, 0xd2, // media=1234
        0x00, 0x64, 0x80, 0x05, // PID=100, BLP: 101, 103, 116
        0xff, 0xff, 0x00, 0x00, // PID=65535, BLP=0
    ];

    [Fact]
    public void TryUnmarshal_reads_pairs_and_expands_sequence_numbers()
    {
        Assert.True(TransportLayerNack.TryUnmarshal(TwoPairs, out var nack, out _));
        Assert.Equal(0x902f9e2eu, nack.SenderSsrc);
        Assert.Equal(1234u, nack.MediaSsrc);
        Assert.Equal(new ushort[] { 100, 101, 103, 116, 65535 }, nack.GetSequenceNumbers());
        Assert.True(nack.Nacks[0].Contains(116));
        Assert.False(nack.Nacks[0].Contains(102));
    }

    [Fact]
    public void FromSequenceNumbers_packs_into_pid_blp_pairs_across_wrap()
    {
        var nack = TransportLayerNack.FromSequenceNumbers(1, 2, [65534, 65535, 0, 15, 16, 40]);
        // 15 is 17 after 65534: one past the BLP reach, so it opens a pair of its own.
        Assert.Equal(new[] { new NackPair(65534, 0b11), new NackPair(15, 0b1), new NackPair(40, 0) }, nack.Nacks);
        Assert.Equal(new ushort[] { 65534, 65535, 0, 15, 16, 40 }, nack.GetSequenceNumbers());
    }

    [Fact]
    public void Marshal_round_trips()
    {
        Assert.True(TransportLayerNack.TryUnmarshal(TwoPairs, out var nack, out _));
        var buffer = new byte[nack.MarshalSize];
        nack.MarshalTo(buffer);
        Assert.Equal(TwoPairs, buffer);
    }

    [Fact]
    public void TryUnmarshal_rejects_missing_fci_and_wrong_fmt()
    {
        byte[] noPairs =
        [
            0x81, 0xcd, 0x00, 0x02, // FMT=1, RTPFB, len=2
            0x90, 0x2f, 0x9e, 0x2e, // sender
            0x00, 0x00, 0x04, 0xd2, // media, and no PID/BLP pair
        ];
        Assert.False(TransportLayerNack.TryUnmarshal(noPairs, out _, out var error));
        Assert.Equal(ParseError.BadLength, error);

        var pli = (byte[])TwoPairs.Clone();
        pli[0] = 0x8f; // FMT=15 is TWCC, not NACK
        Assert.False(TransportLayerNack.TryUnmarshal(pli, out _, out error));
        Assert.Equal(ParseError.UnknownType, error);
    }

    [Fact]
    public void TryUnmarshal_never_throws_on_random_input() =>
        RtcpFuzz.NeverThrows(d => TransportLayerNack.TryUnmarshal(d, out _, out _), RtcpPacketType.TransportFeedback, RtcpFeedbackFormat.Nack, seed: 205);
}
