using Streamer.Media.Rtp;

namespace Streamer.Media.Tests.Rtp;

public class RtxPayloadTests
{
    private const byte Vp8 = 96;
    private const uint PrimarySsrc = 1860414042;

    /// <summary>An RTX retransmission as Chromium sends one: marker, transport-wide number and padding.</summary>
    private static readonly byte[] RtxPacket =
    [
        0xb0, 0xe1,             // v=2, p=1, x=1, cc=0; m=1, pt=97 (rtx)
        0x00, 0x07,             // RTX stream's own sequence number 7
        0x00, 0x01, 0x5f, 0x90, // timestamp 90000: the original's
        0xad, 0xdf, 0x2d, 0xa9, // RTX SSRC 2917084585
        0xbe, 0xde, 0x00, 0x01, // one-byte extension profile, 1 word
        0x41, 0x00, 0x2a, 0x00, // id=4 len=2 transport-wide sequence number 42, one pad byte
        0x12, 0x34,             // OSN 0x1234: the sequence number of the packet resent
        0x10, 0xaa, 0xbb,       // the original payload (VP8 descriptor S=1, then data)
        0x00, 0x02,             // 2 bytes of RTP padding, the last one the count
    ];

    private static readonly byte[] RestoredPacket =
    [
        0x90, 0xe0,             // v=2, p=0 (padding dropped), x=1, cc=0; m=1 kept, pt=96 (VP8)
        0x12, 0x34,             // sequence number = OSN
        0x00, 0x01, 0x5f, 0x90, // timestamp 90000, unchanged
        0x6e, 0xe3, 0xaa, 0x5a, // primary SSRC 1860414042
        0xbe, 0xde, 0x00, 0x01, // extension block copied as is
        0x41, 0x00, 0x2a, 0x00, // id=4 len=2 transport-wide sequence number 42
        0x10, 0xaa, 0xbb,       // original payload
    ];

    private static (RtpHeader Header, byte[] Restored) Restore(byte[] packet)
    {
        Assert.True(RtpHeader.TryRead(packet, out var header, out _, out var error), error.ToString());
        var payload = packet.AsSpan(header.PayloadOffset, packet.Length - header.PayloadOffset - header.PaddingSize);
        Assert.True(RtxPayload.TryUnmarshal(payload, out var rtx, out error), error.ToString());
        var restored = new byte[rtx.RestoredSize(header)];
        Assert.Equal(restored.Length, rtx.RestoreTo(packet, header, Vp8, PrimarySsrc, restored));
        return (header, restored);
    }

    [Fact]
    public void Unmarshal_reads_the_osn_and_the_original_payload()
    {
        byte[] payload =
        [
            0x12, 0x34,       // OSN 0x1234
            0x10, 0xaa, 0xbb, // original payload
        ];

        Assert.True(RtxPayload.TryUnmarshal(payload, out var rtx, out var error));

        Assert.Equal(ParseError.None, error);
        Assert.Equal(0x1234, rtx.OriginalSequenceNumber);
        Assert.Equal([0x10, 0xaa, 0xbb], rtx.OriginalPayload.ToArray());
        Assert.False(rtx.IsPaddingOnly);
        Assert.Equal(5, rtx.MarshalSize);
    }

    [Fact]
    public void Restore_swaps_payload_type_ssrc_and_sequence_number_and_keeps_marker_timestamp_and_extensions()
    {
        var (_, restored) = Restore(RtxPacket);

        Assert.Equal(RestoredPacket, restored);
        Assert.True(RtpHeader.TryRead(restored, out var original, out _, out _));
        Assert.Equal(Vp8, original.PayloadType);
        Assert.Equal(PrimarySsrc, original.Ssrc);
        Assert.Equal(0x1234, original.SequenceNumber);
        Assert.True(original.Marker);
        Assert.Equal(0, original.PaddingSize);
        Assert.True(original.TryGetExtension(restored, 4, out var twcc));
        Assert.True(TransportSequenceNumber.TryRead(twcc, out ushort transportSequence));
        Assert.Equal(42, transportSequence);
    }

    [Fact]
    public void Restore_keeps_csrcs()
    {
        byte[] packet =
        [
            0x81, 0x61,             // v=2, p=0, x=0, cc=1; m=0, pt=97
            0x00, 0x08,             // RTX sequence number 8
            0x00, 0x00, 0x0b, 0xb8, // timestamp 3000
            0xad, 0xdf, 0x2d, 0xa9, // RTX SSRC
            0x01, 0x02, 0x03, 0x04, // CSRC 0x01020304
            0xff, 0xfe,             // OSN 65534
            0x55,                   // original payload
        ];

        var (_, restored) = Restore(packet);

        Assert.Equal(
            [
                0x81, 0x60,             // cc=1; m=0, pt=96
                0xff, 0xfe,             // sequence number 65534
                0x00, 0x00, 0x0b, 0xb8, // timestamp 3000
                0x6e, 0xe3, 0xaa, 0x5a, // primary SSRC
                0x01, 0x02, 0x03, 0x04, // CSRC kept
                0x55,                   // original payload
            ],
            restored);
    }

    [Fact]
    public void Empty_payload_is_padding_only()
    {
        Assert.True(RtxPayload.TryUnmarshal([], out var rtx, out var error));

        Assert.Equal(ParseError.None, error);
        Assert.True(rtx.IsPaddingOnly);
    }

    [Fact]
    public void Osn_with_nothing_after_it_is_padding_only()
    {
        byte[] payload =
        [
            0x00, 0x2a, // OSN 42 and no original payload
        ];

        Assert.True(RtxPayload.TryUnmarshal(payload, out var rtx, out _));

        Assert.True(rtx.IsPaddingOnly);
        Assert.Equal(42, rtx.OriginalSequenceNumber);
    }

    [Fact]
    public void Probe_packet_of_padding_alone_is_padding_only()
    {
        byte[] packet =
        [
            0xa0, 0x61,             // v=2, p=1, x=0, cc=0; m=0, pt=97
            0x00, 0x09,             // RTX sequence number 9
            0x00, 0x00, 0x0b, 0xb8, // timestamp 3000
            0xad, 0xdf, 0x2d, 0xa9, // RTX SSRC
            0x00, 0x00, 0x00, 0x04, // 4 bytes of padding, the last one the count
        ];
        Assert.True(RtpHeader.TryRead(packet, out var header, out _, out _));

        var payload = packet.AsSpan(header.PayloadOffset, packet.Length - header.PayloadOffset - header.PaddingSize);
        Assert.True(RtxPayload.TryUnmarshal(payload, out var rtx, out _));

        Assert.True(rtx.IsPaddingOnly);
    }

    [Fact]
    public void One_byte_cannot_hold_the_osn()
    {
        byte[] payload =
        [
            0x12, // half an OSN
        ];

        Assert.False(RtxPayload.TryUnmarshal(payload, out _, out var error));

        Assert.Equal(ParseError.TooShort, error);
    }

    [Fact]
    public void Marshal_then_restore_gives_back_the_original_packet()
    {
        var original = new RtpPacket
        {
            Marker = true,
            PayloadType = Vp8,
            SequenceNumber = 65535,
            Timestamp = 123456789,
            Ssrc = PrimarySsrc,
            Payload = new byte[] { 0x10, 0x01, 0x02, 0x03, 0x04 },
        };
        original.SetExtension(4, new byte[] { 0x00, 0x2a });
        var originalBytes = new byte[original.MarshalSize];
        original.MarshalTo(originalBytes);

        var rtxBody = new RtxPayload(original.SequenceNumber, original.Payload.Span);
        var body = new byte[rtxBody.MarshalSize];
        Assert.Equal(body.Length, rtxBody.MarshalTo(body));
        var rtx = new RtpPacket
        {
            Marker = original.Marker,
            PayloadType = 97,
            SequenceNumber = 3,
            Timestamp = original.Timestamp,
            Ssrc = 2917084585,
            Payload = body,
            PaddingSize = 7,
        };
        rtx.SetExtension(4, new byte[] { 0x00, 0x2a });
        var rtxBytes = new byte[rtx.MarshalSize];
        rtx.MarshalTo(rtxBytes);

        var (_, restored) = Restore(rtxBytes);

        Assert.Equal(originalBytes, restored);
    }

    [Fact]
    public void Restore_into_a_short_buffer_is_a_caller_error()
    {
        Assert.True(RtpHeader.TryRead(RtxPacket, out var header, out _, out _));

        Assert.Throws<ArgumentException>(() =>
        {
            var rtx = new RtxPayload(1, [0x10, 0xaa, 0xbb]);
            return rtx.RestoreTo(RtxPacket, header, Vp8, PrimarySsrc, new byte[rtx.RestoredSize(header) - 1]);
        });
    }

    [Fact]
    public void Random_packets_never_throw_and_restore_to_a_valid_original()
    {
        var random = new Random(4588);
        var buffer = new byte[200];
        var restored = new byte[200];
        int restoredCount = 0, padding = 0, rejected = 0;
        for (int i = 0; i < 20000; i++)
        {
            random.NextBytes(buffer);
            int length = random.Next(buffer.Length + 1);
            if (length > 0 && (i % 8) != 0)
            {
                // Mostly version 2 with few CSRCs, so the RTX layer itself is exercised.
                buffer[0] = (byte)(0x80 | (buffer[0] & 0x30) | (buffer[0] & 0x03));
            }
            var packet = buffer.AsSpan(0, length);
            if (!RtpHeader.TryRead(packet, out var header, out _, out _))
            {
                continue;
            }
            var payload = packet[header.PayloadOffset..(packet.Length - header.PaddingSize)];
            if (!RtxPayload.TryUnmarshal(payload, out var rtx, out var error))
            {
                Assert.Equal(ParseError.TooShort, error);
                rejected++;
                continue;
            }
            if (rtx.IsPaddingOnly)
            {
                padding++;
                continue;
            }
            int written = rtx.RestoreTo(packet, header, Vp8, PrimarySsrc, restored);
            Assert.Equal(packet.Length - header.PaddingSize - RtxPayload.OsnSize, written);
            Assert.True(RtpHeader.TryRead(restored.AsSpan(0, written), out var original, out _, out var restoredError), restoredError.ToString());
            Assert.Equal(Vp8, original.PayloadType);
            Assert.Equal(PrimarySsrc, original.Ssrc);
            Assert.Equal(rtx.OriginalSequenceNumber, original.SequenceNumber);
            Assert.Equal(header.Marker, original.Marker);
            Assert.Equal(header.Timestamp, original.Timestamp);
            Assert.Equal(rtx.OriginalPayload.ToArray(), restored.AsSpan(original.PayloadOffset, written - original.PayloadOffset).ToArray());
            restoredCount++;
        }
        // The generator must reach every outcome, or the test proves little.
        Assert.True(restoredCount > 1000 && padding > 10 && rejected > 10, $"restored {restoredCount}, padding {padding}, rejected {rejected}");
    }
}
