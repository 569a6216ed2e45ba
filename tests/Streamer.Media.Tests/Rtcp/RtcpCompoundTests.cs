using Streamer.Media.Rtcp;

namespace Streamer.Media.Tests.Rtcp;

public class RtcpCompoundTests
{
    // Laid out as libwebrtc (Chromium) sends it while sending video and receiving nothing:
    // an SR with no report blocks followed by an SDES with its 16-character CNAME.
    private static readonly byte[] ChromiumSrSdes =
    [
        0x80, 0xc8, 0x00, 0x06, // v=2, p=0, RC=0, SR, len=6
        0x5f, 0x6a, 0x2c, 0x11, // ssrc=0x5f6a2c11
        0xe9, 0x7a, 0x1b, 0x3c, // ntp seconds=0xe97a1b3c
        0x80, 0x00, 0x00, 0x00, // ntp fraction=0.5
        0x2b, 0x4d, 0x11, 0x90, // rtp=0x2b4d1190
        0x00, 0x00, 0x00, 0x96, // packets=150
        0x00, 0x01, 0x86, 0xa0, // octets=100000
        0x81, 0xca, 0x00, 0x06, // v=2, p=0, SC=1, SDES, len=6
        0x5f, 0x6a, 0x2c, 0x11, // ssrc=0x5f6a2c11
        0x01, 0x10, 0x4a, 0x6f, // CNAME, len=16, "Jo"
        0x33, 0x6b, 0x47, 0x51, // "3kGQ"
        0x61, 0x4e, 0x70, 0x54, // "aNpT"
        0x72, 0x56, 0x2b, 0x32, // "rV+2"
        0x78, 0x59, 0x00, 0x00, // "xY", END + padding
    ];

    // pion/rtcp packet_test.go realPacket: RR, SDES, BYE, PLI, RRR, APP.
    private static readonly byte[] PionReal =
    [
        0x81, 0xc9, 0x00, 0x07, // RR, count=1, len=7
        0x90, 0x2f, 0x9e, 0x2e, // ssrc=0x902f9e2e
        0xbc, 0x5e, 0x9a, 0x40, // ssrc=0xbc5e9a40
        0x00, 0x00, 0x00, 0x00, // fracLost=0, totalLost=0
        0x00, 0x00, 0x46, 0xe1, // lastSeq=0x46e1
        0x00, 0x00, 0x01, 0x11, // jitter=273
        0x09, 0xf3, 0x64, 0x32, // lsr=0x9f36432
        0x00, 0x02, 0x4a, 0x79, // delay=150137
        0x81, 0xca, 0x00, 0x0c, // SDES, count=1, len=12
        0x90, 0x2f, 0x9e, 0x2e, // ssrc=0x902f9e2e
        0x01, 0x26, 0x7b, 0x39, // CNAME, len=38, "{9"
        0x63, 0x30, 0x30, 0x65, // "c00e"
        0x62, 0x39, 0x32, 0x2d, // "b92-"
        0x31, 0x61, 0x66, 0x62, // "1afb"
        0x2d, 0x39, 0x64, 0x34, // "-9d4"
        0x39, 0x2d, 0x61, 0x34, // "9-a4"
        0x37, 0x64, 0x2d, 0x39, // "7d-9"
        0x31, 0x66, 0x36, 0x34, // "1f64"
        0x65, 0x65, 0x65, 0x36, // "eee6"
        0x39, 0x66, 0x35, 0x7d, // "9f5}"
        0x00, 0x00, 0x00, 0x00, // END + padding
        0x81, 0xcb, 0x00, 0x01, // BYE, count=1, len=1
        0x90, 0x2f, 0x9e, 0x2e, // source=0x902f9e2e
        0x81, 0xce, 0x00, 0x02, // PLI, len=2
        0x90, 0x2f, 0x9e, 0x2e, // sender
        0x90, 0x2f, 0x9e, 0x2e, // media
        0x85, 0xcd, 0x00, 0x02, // RTPFB FMT=5 (RRR), len=2
        0x90, 0x2f, 0x9e, 0x2e, // sender
        0x90, 0x2f, 0x9e, 0x2e, // media
        0x80, 0xcc, 0x00, 0x03, // APP, len=3
        0x4b, 0xaa, 0xe1, 0xab, // ssrc
        0x4e, 0x41, 0x4d, 0x45, // name="NAME"
        0x41, 0x42, 0x43, 0x44, // data="ABCD"
    ];

    [Fact]
    public void TryUnmarshal_reads_chromium_sr_and_sdes()
    {
        var packets = new List<IRtcpPacket>();
        Assert.True(RtcpCompound.TryUnmarshal(ChromiumSrSdes, packets, out var error));
        Assert.Equal(ParseError.None, error);
        Assert.Equal(2, packets.Count);
        var sr = Assert.IsType<SenderReport>(packets[0]);
        Assert.Equal(0x5f6a2c11u, sr.Ssrc);
        Assert.Equal(0xe97a1b3c_80000000UL, sr.NtpTime);
        Assert.Equal(150u, sr.PacketCount);
        Assert.Empty(sr.Reports);
        var sdes = Assert.IsType<SourceDescription>(packets[1]);
        Assert.Equal("Jo3kGQaNpTrV+2xY", sdes.GetCname(0x5f6a2c11));
    }

    [Fact]
    public void TryUnmarshal_reads_every_packet_of_pion_real_packet()
    {
        var packets = new List<IRtcpPacket>();
        Assert.True(RtcpCompound.TryUnmarshal(PionReal, packets, out _));
        Assert.Equal(6, packets.Count);
        Assert.Equal(273u, Assert.IsType<ReceiverReport>(packets[0]).Reports[0].Jitter);
        Assert.Equal("{9c00eb92-1afb-9d49-a47d-91f64eee69f5}", Assert.IsType<SourceDescription>(packets[1]).GetCname(0x902f9e2e));
        Assert.Equal(new uint[] { 0x902f9e2e }, Assert.IsType<Goodbye>(packets[2]).Sources);
        Assert.Equal(0x902f9e2eu, Assert.IsType<PictureLossIndication>(packets[3]).MediaSsrc);
        Assert.Equal(5, Assert.IsType<RawRtcpPacket>(packets[4]).Header.Count);
        Assert.Equal(RtcpPacketType.ApplicationDefined, Assert.IsType<RawRtcpPacket>(packets[5]).Header.PacketType);
    }

    [Fact]
    public void Marshal_round_trips_compound()
    {
        var packets = new List<IRtcpPacket>();
        Assert.True(RtcpCompound.TryUnmarshal(PionReal, packets, out _));
        var buffer = new byte[RtcpCompound.MarshalSize(packets)];
        Assert.Equal(PionReal.Length, RtcpCompound.Marshal(packets, buffer));
        Assert.Equal(PionReal, buffer);
    }

    [Fact]
    public void TryUnmarshal_accepts_reduced_size_single_feedback()
    {
        byte[] pli = [0x81, 0xce, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 2]; // PLI alone (rtcp-rsize)
        var packets = new List<IRtcpPacket>();
        Assert.True(RtcpCompound.TryUnmarshal(pli, packets, out _));
        Assert.IsType<PictureLossIndication>(Assert.Single(packets));
    }

    [Fact]
    public void TryUnmarshal_rejects_whole_datagram_when_one_packet_is_malformed()
    {
        var corrupt = (byte[])ChromiumSrSdes.Clone();
        corrupt[37] = 0x30; // CNAME length 48 runs past the SDES packet
        var packets = new List<IRtcpPacket> { new PictureLossIndication() };
        Assert.False(RtcpCompound.TryUnmarshal(corrupt, packets, out var error));
        Assert.Equal(ParseError.BadLength, error);
        Assert.Single(packets); // what was there before stays, nothing is added

        Assert.False(RtcpCompound.TryUnmarshal(ChromiumSrSdes.AsSpan(0, 40), packets, out error));
        Assert.Equal(ParseError.TooShort, error);

        Assert.False(RtcpCompound.TryUnmarshal([], packets, out error));
        Assert.Equal(ParseError.TooShort, error);

        var trailingGarbage = ChromiumSrSdes.Concat(new byte[] { 0x00, 0x01 }).ToArray();
        Assert.False(RtcpCompound.TryUnmarshal(trailingGarbage, packets, out error));
        Assert.Equal(ParseError.TooShort, error);
    }

    [Fact]
    public void TryUnmarshal_never_throws_on_random_input()
    {
        var random = new Random(300);
        var packets = new List<IRtcpPacket>();
        var buffer = new byte[128];
        for (int i = 0; i < 3000; i++)
        {
            // Start from a valid datagram and flip a few bytes so parsing goes deep.
            var source = (i & 1) == 0 ? PionReal : ChromiumSrSdes;
            int length = Math.Min(source.Length, random.Next(buffer.Length));
            source.AsSpan(0, length).CopyTo(buffer);
            for (int f = 0; f < 3; f++)
            {
                buffer[random.Next(Math.Max(1, length))] = (byte)random.Next(256);
            }
            packets.Clear();
            RtcpCompound.TryUnmarshal(buffer.AsSpan(0, length), packets, out _);
        }
    }
}
