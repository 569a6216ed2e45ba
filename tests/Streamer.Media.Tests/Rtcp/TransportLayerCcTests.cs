using Streamer.Media.Rtcp;

namespace Streamer.Media.Tests.Rtcp;

public class TransportLayerCcTests
{
    // Chrome capture (olivermichel/webrtc-analysis test data): nine packets, all small deltas.
    private static readonly byte[] Chrome =
    [
        0xaf, 0xcd, 0x00, 0x07, // v=2, p=1, FMT=15, RTPFB, len=7
        0x00, 0x00, 0x00, 0x01, // sender=1
        0xdd, 0x58, 0x6e, 0xb6, // media=0xdd586eb6
        0x00, 0x01, 0x00, 0x09, // base seq=1, status count=9
        0x5e, 0x91, 0x10, 0x00, // reference time=6197520, fb pkt count=0
        0x20, 0x09, 0x1c, 0x0c, // run length: small delta x9; deltas 7 ms, 3 ms
        0x2c, 0x38, 0x00, 0x04, // 11 ms, 14 ms, 0 ms, 1 ms
        0x00, 0x08, 0x18, 0x01, // 0 ms, 2 ms, 6 ms; padding count=1
    ];

    // pion/rtcp transport_layer_cc_test.go example4.
    private static readonly byte[] PionExample4 =
    [
        0xaf, 0xcd, 0x00, 0x07, // v=2, p=1, FMT=15, RTPFB, len=7
        0xfa, 0x17, 0xfa, 0x17, // sender=4195875351
        0x19, 0x3d, 0xd8, 0xbb, // media=423483579
        0x00, 0x04, 0x00, 0x07, // base seq=4, status count=7
        0x10, 0x63, 0x6e, 0x01, // reference time=1074030, fb pkt count=1
        0x20, 0x07, 0x4c, 0x24, // run length: small delta x7; deltas 76, 36 ticks
        0x24, 0x10, 0x0c, 0x0c, // 36, 16, 12, 12
        0x10, 0x00, 0x00, 0x03, // 16; padding, count=3
    ];

    // pion/rtcp transport_layer_cc_test.go example3: two large-delta packets then small ones.
    private static readonly byte[] PionExample3 =
    [
        0xaf, 0xcd, 0x00, 0x07, // v=2, p=1, FMT=15, RTPFB, len=7
        0xfa, 0x17, 0xfa, 0x17, // sender
        0x19, 0x3d, 0xd8, 0xbb, // media
        0x01, 0x74, 0x00, 0x06, // base seq=372, status count=6
        0x45, 0xb1, 0x5a, 0x40, // reference time=4567386, fb pkt count=64
        0x40, 0x02, 0x20, 0x04, // run length: large x2; run length: small x4
        0x1f, 0xfe, 0x1f, 0x9a, // large deltas 8190, 8090 ticks
        0xd0, 0x00, 0xd0, 0x00, // small deltas 208, 0, 208, 0
    ];

    [Fact]
    public void TryUnmarshal_reads_chrome_feedback()
    {
        Assert.True(TransportLayerCc.TryUnmarshal(Chrome, out var cc, out _));
        Assert.Equal(0xdd586eb6u, cc.MediaSsrc);
        Assert.Equal(1, cc.BaseSequenceNumber);
        Assert.Equal(9, cc.PacketStatusCount);
        Assert.Equal(6197520, cc.ReferenceTime);
        Assert.Equal(0, cc.FbPktCount);
        var chunk = Assert.Single(cc.Chunks);
        Assert.True(chunk.IsRunLength);
        Assert.Equal(TwccPacketStatus.ReceivedSmallDelta, chunk.RunSymbol);
        Assert.Equal(new long[] { 7000, 3000, 11000, 14000, 0, 1000, 0, 2000, 6000 }, cc.RecvDeltas.Select(d => d.Microseconds));
        var results = cc.GetPacketResults();
        Assert.Equal(9, results.Count);
        Assert.Equal(new TwccPacketArrival(1, (6197520L * 64000) + 7000), results[0]);
        Assert.Equal(new TwccPacketArrival(9, (6197520L * 64000) + 44000), results[8]);
    }

    [Fact]
    public void Marshal_round_trips_captured_vectors()
    {
        foreach (var vector in new[] { Chrome, PionExample4 })
        {
            Assert.True(TransportLayerCc.TryUnmarshal(vector, out var cc, out _));
            var buffer = new byte[cc.MarshalSize];
            Assert.Equal(vector.Length, cc.MarshalTo(buffer));
            Assert.Equal(vector, buffer);
        }
    }

    [Fact]
    public void TryUnmarshal_reads_large_deltas()
    {
        Assert.True(TransportLayerCc.TryUnmarshal(PionExample3, out var cc, out _));
        Assert.Equal(64, cc.FbPktCount);
        Assert.Equal(
            new[]
            {
                new TwccRecvDelta(TwccPacketStatus.ReceivedLargeDelta, 8190),
                new TwccRecvDelta(TwccPacketStatus.ReceivedLargeDelta, 8090),
                new TwccRecvDelta(TwccPacketStatus.ReceivedSmallDelta, 208),
                new TwccRecvDelta(TwccPacketStatus.ReceivedSmallDelta, 0),
                new TwccRecvDelta(TwccPacketStatus.ReceivedSmallDelta, 208),
                new TwccRecvDelta(TwccPacketStatus.ReceivedSmallDelta, 0),
            },
            cc.RecvDeltas);
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0xdd }, true, false, 221)] // draft 3.1.3 example 1: run of 221 not received
    [InlineData(new byte[] { 0x60, 0x18 }, true, false, 24)]  // draft 3.1.3 example 2: run of 24 received without delta
    [InlineData(new byte[] { 0x9f, 0x1c }, false, false, 14)] // draft 3.1.4 example 1: one-bit vector
    [InlineData(new byte[] { 0xcd, 0x50 }, false, true, 7)]   // draft 3.1.4 example 2: two-bit vector
    public void Chunk_decodes_draft_examples(byte[] bytes, bool runLength, bool twoBit, int symbols)
    {
        var chunk = new TwccPacketChunk((ushort)((bytes[0] << 8) | bytes[1]));
        Assert.Equal(runLength, chunk.IsRunLength);
        Assert.Equal(twoBit, chunk.IsTwoBitVector);
        Assert.Equal(symbols, chunk.SymbolCount);
    }

    [Fact]
    public void Chunk_status_vectors_encode_draft_examples()
    {
        TwccPacketStatus n = TwccPacketStatus.NotReceived, s = TwccPacketStatus.ReceivedSmallDelta, w = TwccPacketStatus.ReceivedWithoutDelta;
        Assert.Equal(0x9f1c, TwccPacketChunk.StatusVector([n, s, s, s, s, s, n, n, n, s, s, s, n, n], twoBit: false).Value);
        Assert.Equal(0xcd50, TwccPacketChunk.StatusVector([n, w, s, s, s, n, n], twoBit: true).Value);
        Assert.Equal(0x00dd, TwccPacketChunk.RunLengthChunk(n, 221).Value);
    }

    [Fact]
    public void Build_encodes_losses_and_large_deltas_that_parse_back()
    {
        const long t0 = 1_000_000; // 1 s: reference time 15 (960 ms), first delta 40 ms
        var input = new List<TwccPacketArrival>
        {
            new(65534, t0),
            new(65535, t0 + 1_000),
            new(0, null),             // lost
            new(3, t0 + 2_500),       // 1 and 2 skipped: lost
            new(4, t0 + 102_500),     // +100 ms: large delta
            new(5, t0 + 100_000),     // arrived before the previous one: negative, large
        };
        var cc = TransportLayerCc.Build(7, 9, 3, input, out int consumed);
        Assert.Equal(input.Count, consumed);
        Assert.Equal(8, cc.PacketStatusCount);
        Assert.Equal(15, cc.ReferenceTime);
        Assert.Equal(3, cc.FbPktCount);

        var buffer = new byte[cc.MarshalSize];
        cc.MarshalTo(buffer);
        Assert.True(TransportLayerCc.TryUnmarshal(buffer, out var parsed, out _));
        Assert.Equal(
            new[]
            {
                new TwccPacketArrival(65534, t0),
                new TwccPacketArrival(65535, t0 + 1_000),
                new TwccPacketArrival(0, null),
                new TwccPacketArrival(1, null),
                new TwccPacketArrival(2, null),
                new TwccPacketArrival(3, t0 + 2_500),
                new TwccPacketArrival(4, t0 + 102_500),
                new TwccPacketArrival(5, t0 + 100_000),
            },
            parsed.GetPacketResults());
        Assert.Equal(
            new[] { 160, 4, 6, 400, -10 },
            parsed.RecvDeltas.Select(d => d.Ticks));
    }

    [Fact]
    public void Build_uses_run_length_for_long_uniform_runs_and_one_bit_vectors_for_mixed()
    {
        var input = new List<TwccPacketArrival>();
        for (int i = 0; i < 100; i++)
        {
            input.Add(new TwccPacketArrival((ushort)i, 1000L * i));
        }
        var cc = TransportLayerCc.Build(1, 2, 0, input, out _);
        Assert.Equal(TwccPacketChunk.RunLengthChunk(TwccPacketStatus.ReceivedSmallDelta, 100), Assert.Single(cc.Chunks));

        input.Clear();
        for (int i = 0; i < 14; i++)
        {
            input.Add(new TwccPacketArrival((ushort)i, i % 2 == 0 ? 1000L * i : null));
        }
        cc = TransportLayerCc.Build(1, 2, 0, input, out _);
        var chunk = Assert.Single(cc.Chunks);
        Assert.False(chunk.IsRunLength);
        Assert.False(chunk.IsTwoBitVector);
        Assert.Equal(0xaaaa, chunk.Value); // 1 0 1 0 ... after the T=1 S=0 bits
    }

    [Fact]
    public void Build_stops_when_a_delta_does_not_fit_16_bits()
    {
        var input = new List<TwccPacketArrival> { new(10, 0), new(11, 9_000_000) }; // +9 s > 8.19 s
        var cc = TransportLayerCc.Build(1, 2, 0, input, out int consumed);
        Assert.Equal(1, consumed);
        Assert.Equal(1, cc.PacketStatusCount);
    }

    [Fact]
    public void TryUnmarshal_rejects_missing_chunks_and_deltas()
    {
        byte[] noChunk =
        [
            0x8f, 0xcd, 0x00, 0x04, // FMT=15, RTPFB, len=4
            0x00, 0x00, 0x00, 0x01, // sender
            0x00, 0x00, 0x00, 0x02, // media
            0x00, 0x01, 0x00, 0x05, // base seq=1, status count=5
            0x00, 0x00, 0x01, 0x00, // reference time=1, fb count=0; no chunk follows
        ];
        Assert.False(TransportLayerCc.TryUnmarshal(noChunk, out _, out var error));
        Assert.Equal(ParseError.BadLength, error);

        byte[] missingDeltas =
        [
            0x8f, 0xcd, 0x00, 0x05, // FMT=15, RTPFB, len=5
            0x00, 0x00, 0x00, 0x01, // sender
            0x00, 0x00, 0x00, 0x02, // media
            0x00, 0x01, 0x00, 0x05, // base seq=1, status count=5
            0x00, 0x00, 0x01, 0x00, // reference time=1, fb count=0
            0x40, 0x05, 0x00, 0x00, // run length: large x5 needs 10 delta bytes, 2 present
        ];
        Assert.False(TransportLayerCc.TryUnmarshal(missingDeltas, out _, out error));
        Assert.Equal(ParseError.BadLength, error);
    }

    [Fact]
    public void TryUnmarshal_never_throws_on_random_input() =>
        RtcpFuzz.NeverThrows(d => TransportLayerCc.TryUnmarshal(d, out _, out _), RtcpPacketType.TransportFeedback, RtcpFeedbackFormat.TransportCc, seed: 215);
}
