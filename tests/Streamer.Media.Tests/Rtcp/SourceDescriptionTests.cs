using Streamer.Media.Rtcp;

namespace Streamer.Media.Tests.Rtcp;

public class SourceDescriptionTests
{
    private static readonly byte[] Cname =
    [
        0x81, 0xca, 0x00, 0x03, // v=2, p=0, count=1, SDES, len=3
        0x10, 0x00, 0x00, 0x00, // ssrc=0x10000000
        0x01, 0x02, 0x61, 0x62, // CNAME, len=2, "ab"
        0x00, 0x00, 0x00, 0x00, // END + padding
    ];

    [Fact]
    public void TryUnmarshal_reads_cname()
    {
        Assert.True(SourceDescription.TryUnmarshal(Cname, out var sdes, out _));
        Assert.Equal("ab", sdes.GetCname(0x10000000));
        Assert.Null(sdes.GetCname(1));
    }

    [Fact]
    public void Marshal_round_trips()
    {
        var sdes = SourceDescription.ForCname(0x10000000, "ab");
        var buffer = new byte[sdes.MarshalSize];
        sdes.MarshalTo(buffer);
        Assert.Equal(Cname, buffer);
    }

    [Fact]
    public void Marshal_adds_a_full_word_when_text_ends_on_a_boundary()
    {
        // 4 (ssrc) + 2 + 2 = 8 bytes: the END byte needs another word.
        var sdes = SourceDescription.ForCname(7, "xy");
        Assert.Equal(16, sdes.MarshalSize);
        sdes = SourceDescription.ForCname(7, "xyz");
        Assert.Equal(16, sdes.MarshalSize);
    }

    [Fact]
    public void TryUnmarshal_rejects_item_past_end_and_missing_end()
    {
        byte[] overrun =
        [
            0x81, 0xca, 0x00, 0x02, // count=1, len=2
            0x10, 0x00, 0x00, 0x00, // ssrc
            0x01, 0x09, 0x61, 0x62, // CNAME, len=9 but only 2 bytes left
        ];
        Assert.False(SourceDescription.TryUnmarshal(overrun, out _, out var error));
        Assert.Equal(ParseError.BadLength, error);

        byte[] noEnd =
        [
            0x81, 0xca, 0x00, 0x02, // count=1, len=2
            0x10, 0x00, 0x00, 0x00, // ssrc
            0x01, 0x02, 0x61, 0x62, // CNAME "ab", no END
        ];
        Assert.False(SourceDescription.TryUnmarshal(noEnd, out _, out error));
        Assert.Equal(ParseError.BadLength, error);
    }

    [Fact]
    public void TryUnmarshal_never_throws_on_random_input() =>
        RtcpFuzz.NeverThrows(d => SourceDescription.TryUnmarshal(d, out _, out _), RtcpPacketType.SourceDescription, 1, seed: 202);
}
