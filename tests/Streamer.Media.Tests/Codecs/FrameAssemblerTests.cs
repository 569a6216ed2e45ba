using Streamer.Media.Codecs;

namespace Streamer.Media.Tests.Codecs;

public sealed class FrameAssemblerTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // VP8 payloads: descriptor 0x10 (S=1, PID=0) or 0x00 (continuation), then the payload header.
    private static readonly byte[] KeyStart = [0x10, 0x00, 0x00, 0x00, 0x9d, 0x01, 0x2a, 0x40, 0x01, 0xF0, 0x00]; // P=0, start code
    private static readonly byte[] DeltaStart = [0x10, 0x01, 0xAA];                                        // P=1
    private static readonly byte[] Continuation = [0x00, 0xBB, 0xCC];                                      // S=0

    [Fact]
    public void Reordered_packets_produce_frames_in_decode_order()
    {
        using var assembler = new FrameAssembler(new Vp8Depacketizer());
        Assert.True(assembler.Insert(11, 0, true, Continuation, T0));
        Assert.True(assembler.Insert(10, 0, false, KeyStart, T0));
        Assert.True(assembler.Insert(13, 3000, true, Continuation, T0));
        Assert.True(assembler.Insert(12, 3000, false, DeltaStart, T0));

        Assert.True(assembler.TryDequeue(out var key));
        using (key)
        {
            Assert.True(key.IsKeyframe);
            Assert.Equal(0u, key.RtpTimestamp);
            Assert.Equal([.. KeyStart[1..], .. Continuation[1..]], key.Data.ToArray());
        }
        Assert.True(assembler.TryDequeue(out var delta));
        using (delta)
        {
            Assert.False(delta.IsKeyframe);
            Assert.Equal(3000u, delta.RtpTimestamp);
        }
        Assert.Equal(2, assembler.Stats.FramesEmitted);
    }

    [Fact]
    public void Padding_only_packets_between_frames_are_skipped_without_loss()
    {
        using var assembler = new FrameAssembler(new Vp8Depacketizer());
        Assert.True(assembler.Insert(10, 0, false, KeyStart, T0));
        Assert.True(assembler.Insert(11, 0, true, Continuation, T0));
        Assert.True(assembler.Insert(12, 0, false, [], T0));       // padding, previous frame's timestamp
        Assert.True(assembler.Insert(13, 0, false, [], T0));       // padding
        Assert.True(assembler.Insert(14, 3000, true, DeltaStart, T0));

        Assert.Equal(2, assembler.Stats.FramesEmitted);
        Assert.Equal(0, assembler.Stats.FramesDropped);
        Assert.Equal(0, assembler.Stats.KeyframeRequests);
        Assert.False(assembler.TakeKeyframeRequest());
        Assert.True(assembler.TryDequeue(out var key));
        key.Dispose();
        Assert.True(assembler.TryDequeue(out var delta));
        Assert.Equal(3000u, delta.RtpTimestamp);
        delta.Dispose();
    }

    [Fact]
    public void Duplicate_and_late_packets_are_counted_and_rejected()
    {
        using var assembler = new FrameAssembler(new Vp8Depacketizer());
        Assert.True(assembler.Insert(65535, 0, false, KeyStart, T0));
        Assert.False(assembler.Insert(65535, 0, false, KeyStart, T0));
        // 0 follows 65535 across the wrap and completes the keyframe.
        Assert.True(assembler.Insert(0, 0, true, Continuation, T0));
        Assert.True(assembler.Insert(1, 3000, true, DeltaStart, T0));
        Assert.False(assembler.Insert(65534, 0, true, Continuation, T0));
        Assert.Equal(1, assembler.Stats.PacketsDuplicate);
        Assert.Equal(1, assembler.Stats.PacketsLate);
        Assert.Equal(2, assembler.Stats.FramesEmitted);
    }

    [Fact]
    public void Gap_reports_missing_sequence_numbers_and_waits_until_max_wait()
    {
        var options = new FrameAssemblerOptions { MaxWait = TimeSpan.FromMilliseconds(100) };
        using var assembler = new FrameAssembler(new Vp8Depacketizer(), options);
        assembler.Insert(100, 0, true, KeyStart, T0);
        assembler.Insert(103, 3000, true, Continuation, T0); // 101 and 102 missing
        var missing = new List<ushort>();
        Assert.Equal(2, assembler.TakeMissing(missing));
        Assert.Equal([101, 102], missing);

        assembler.Advance(T0 + TimeSpan.FromMilliseconds(99));
        Assert.False(assembler.TakeKeyframeRequest());
        assembler.Insert(101, 3000, false, DeltaStart, T0 + TimeSpan.FromMilliseconds(99));
        assembler.Advance(T0 + TimeSpan.FromMilliseconds(100));
        Assert.True(assembler.TakeKeyframeRequest());
        Assert.False(assembler.TakeKeyframeRequest());
        Assert.True(assembler.IsAwaitingKeyframe);

        // Delta frames are dropped until a keyframe starts again.
        assembler.Insert(104, 6000, true, DeltaStart, T0 + TimeSpan.FromMilliseconds(110));
        assembler.Insert(105, 9000, true, KeyStart, T0 + TimeSpan.FromMilliseconds(120));
        Assert.True(assembler.TryDequeue(out var first));
        first.Dispose();
        Assert.True(assembler.TryDequeue(out var resumed));
        using (resumed)
        {
            Assert.True(resumed.IsKeyframe);
            Assert.Equal(9000u, resumed.RtpTimestamp);
        }
        Assert.False(assembler.TryDequeue(out _));
        Assert.Equal(1, assembler.Stats.KeyframeRequests);
    }

    [Fact]
    public void Window_overflow_drops_oldest_and_requests_keyframe()
    {
        var options = new FrameAssemblerOptions { MaxPackets = 16 };
        using var assembler = new FrameAssembler(new Vp8Depacketizer(), options);
        assembler.Insert(0, 0, false, KeyStart, T0);        // frame never completes
        assembler.Insert(10, 0, false, Continuation, T0);   // 1..9 missing
        assembler.Insert(20, 3000, true, DeltaStart, T0);   // needs 5..20: packet 0 must go
        Assert.Equal(1, assembler.Stats.PacketsOverflowed);
        Assert.Equal(1, assembler.Stats.KeyframeRequests);
        Assert.False(assembler.TryDequeue(out _));
    }

    [Fact]
    public void Malformed_payload_is_rejected_with_parse_error()
    {
        using var assembler = new FrameAssembler(new Vp8Depacketizer());
        Assert.False(assembler.Insert(1, 0, true, [0x10], T0)); // descriptor without VP8 data
        Assert.Equal(ParseError.TooShort, assembler.LastError);
        Assert.False(assembler.Insert(2, 0, true, [0x10, 0x00, 0x00, 0x00, 0x11, 0x22, 0x33, 0, 0, 0, 0], T0)); // keyframe with wrong start code
        Assert.Equal(ParseError.Malformed, assembler.LastError);
        Assert.Equal(2, assembler.Stats.PacketsRejected);
    }

    [Fact]
    public void Insert_never_throws_on_random_packets()
    {
        var random = new Random(99);
        using var assembler = new FrameAssembler(new H264Depacketizer(), new FrameAssemblerOptions { MaxPackets = 64 });
        var payload = new byte[64];
        var time = T0;
        for (var i = 0; i < 4000; i++)
        {
            random.NextBytes(payload);
            time += TimeSpan.FromMilliseconds(random.Next(0, 20));
            assembler.Insert((ushort)random.Next(0, 200), (uint)random.Next(0, 4) * 3000, random.Next(2) == 0, payload.AsSpan(0, random.Next(0, 64)), time);
            while (assembler.TryDequeue(out var frame))
            {
                frame.Dispose();
            }
        }
        Assert.True(assembler.Stats.PacketsRejected > 0);
    }
}
