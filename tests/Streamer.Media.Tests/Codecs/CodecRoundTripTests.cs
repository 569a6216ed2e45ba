using Streamer.Media.Codecs;

namespace Streamer.Media.Tests.Codecs;

/// <summary>
/// Real clips through the whole receive path: packetize (MTU 1200), reorder, reassemble in
/// the <see cref="FrameAssembler"/>, decode with FFmpeg, and compare with the source frames.
/// </summary>
[Collection(NativeCodecsCollection.Name)]
public sealed class CodecRoundTripTests(TestClips clips)
{
    private const int Mtu = 1200;

    [Fact]
    public void Vp8_clip_survives_reordering_and_decodes_all_frames_above_30_dB()
    {
        var packets = RtpStream.FromFrames(Vp8Frames(clips.Vp8Ivf).Select(Vp8Payloads).ToList());
        RtpStream.StampArrivals(packets);
        var delivered = RtpStream.Disturb(packets, seed: 7);
        Assert.NotEqual(packets.Select(p => p.SequenceNumber), delivered.Select(p => p.SequenceNumber));

        var (pictures, assembler) = Receive(new Vp8Depacketizer(), VideoCodec.Vp8, delivered);
        using (assembler)
        {
            var s = assembler.Stats;
            Assert.True(TestClips.FrameCount == pictures.Count, $"{s.FramesEmitted} {s.FramesDropped} late {s.PacketsLate} dup {s.PacketsDuplicate} rej {s.PacketsRejected} {assembler.LastError} ovf {s.PacketsOverflowed} kf {s.KeyframeRequests}");
            Assert.Equal(0, assembler.Stats.FramesDropped);
            Assert.Equal(0, assembler.Stats.KeyframeRequests);
            for (var i = 0; i < pictures.Count; i++)
            {
                // RTP time survives the decoder, so each picture is matched to its source frame.
                Assert.Equal((uint)i * RtpStream.TicksPerFrame, pictures[i].RtpTimestamp);
                AssertMatchesSource(pictures[i], i);
            }
        }
        Dispose(pictures);
    }

    [Fact]
    public void H264_clip_survives_reordering_and_decodes_all_frames_above_30_dB()
    {
        var accessUnits = AnnexBReader.SplitH264AccessUnits(clips.H264AnnexB);
        Assert.Equal(TestClips.FrameCount, accessUnits.Count);
        var packetizer = new H264Packetizer(Mtu);
        var framePayloads = accessUnits.Select(unit =>
        {
            var payloads = new List<byte[]>();
            packetizer.Packetize(unit.Span, payloads);
            Assert.All(payloads, p => Assert.True(p.Length <= Mtu));
            return payloads;
        }).ToList();
        // The keyframe's parameter sets travel together in one STAP-A.
        Assert.Equal(H264NalUnitType.StapA, framePayloads[0][0][0] & 0x1F);
        Assert.Contains(framePayloads.SelectMany(f => f), p => (p[0] & 0x1F) == H264NalUnitType.FuA);

        var packets = RtpStream.FromFrames(framePayloads);
        RtpStream.StampArrivals(packets);
        var (pictures, assembler) = Receive(new H264Depacketizer(), VideoCodec.H264, RtpStream.Disturb(packets, seed: 11));
        using (assembler)
        {
            Assert.Equal(TestClips.FrameCount, pictures.Count);
            Assert.Equal(0, assembler.Stats.FramesDropped);
            // The CLI's default x264 settings use B-frames, so pictures leave the decoder in
            // display order, which is the y4m order.
            for (var i = 0; i < pictures.Count; i++)
            {
                AssertMatchesSource(pictures[i], i);
            }
        }
        Dispose(pictures);
    }

    [Fact]
    public void Lost_packet_gives_up_frame_after_max_wait_requests_keyframe_and_resumes_at_next_keyframe()
    {
        var frames = Vp8Frames(clips.Vp8Gop10Ivf).Select(Vp8Payloads).ToList();
        var packets = RtpStream.FromFrames(frames);
        RtpStream.StampArrivals(packets);
        var lost = packets.Last(p => p.FrameIndex == 3);
        packets.Remove(lost);

        var options = new FrameAssemblerOptions { MaxWait = TimeSpan.FromMilliseconds(150) };
        using var assembler = new FrameAssembler(new Vp8Depacketizer(), options);
        using var decoder = VideoDecoder.Create(VideoCodec.Vp8);
        var pictures = new List<VideoFrame>();
        var missing = new List<ushort>();
        var keyframeRequestedAt = -1;
        foreach (var packet in packets)
        {
            assembler.Insert(packet.SequenceNumber, packet.Timestamp, packet.Marker, packet.Payload, packet.Arrival);
            assembler.TakeMissing(missing);
            if (assembler.TakeKeyframeRequest() && keyframeRequestedAt < 0)
            {
                keyframeRequestedAt = packet.FrameIndex;
            }
            while (assembler.TryDequeue(out var frame))
            {
                using (frame)
                {
                    Assert.Equal(DecodeStatus.Ok, decoder.Decode(frame, pictures));
                }
            }
        }

        Assert.Contains(lost.SequenceNumber, missing);
        // The hole shows when frame 4 arrives (266.7 ms); frames come every 66.7 ms, so the
        // first arrival 150 ms later is frame 7's.
        Assert.Equal(7, keyframeRequestedAt);
        Assert.Equal(1, assembler.Stats.KeyframeRequests);
        var decoded = pictures.Select(p => (int)(p.RtpTimestamp / RtpStream.TicksPerFrame)).ToList();
        Assert.Equal([0, 1, 2, .. Enumerable.Range(10, 20)], decoded);
        Assert.Equal(7, assembler.Stats.FramesDropped);
        foreach (var picture in pictures)
        {
            AssertMatchesSource(picture, (int)(picture.RtpTimestamp / RtpStream.TicksPerFrame));
        }
        Dispose(pictures);
    }

    private (List<VideoFrame> Pictures, FrameAssembler Assembler) Receive(RtpDepacketizer depacketizer, VideoCodec codec, List<RtpTestPacket> delivered)
    {
        var assembler = new FrameAssembler(depacketizer);
        using var decoder = VideoDecoder.Create(codec);
        var pictures = new List<VideoFrame>();
        foreach (var packet in delivered)
        {
            assembler.Insert(packet.SequenceNumber, packet.Timestamp, packet.Marker, packet.Payload, packet.Arrival);
            while (assembler.TryDequeue(out var frame))
            {
                using (frame)
                {
                    Assert.Equal(DecodeStatus.Ok, decoder.Decode(frame, pictures));
                }
            }
        }
        Assert.Equal(DecodeStatus.Ok, decoder.Flush(pictures));
        return (pictures, assembler);
    }

    private void AssertMatchesSource(VideoFrame picture, int index)
    {
        Assert.Equal(TestClips.Width, picture.Width);
        Assert.Equal(TestClips.Height, picture.Height);
        var psnr = VideoFrame.Psnr(picture.Y, clips.SourceLuma[index]);
        Assert.True(psnr > 30, $"frame {index}: luma PSNR {psnr:F1} dB");
    }

    internal static List<byte[]> Vp8Frames(byte[] ivf)
    {
        Assert.True(IvfReader.TryOpen(ivf, out var reader, out var error), error.ToString());
        Assert.Equal("VP80", reader!.FourCc);
        var frames = new List<byte[]>();
        while (reader.TryReadFrame(out var frame, out _))
        {
            frames.Add(frame.ToArray());
        }
        Assert.Equal(ParseError.None, reader.LastError);
        return frames;
    }

    private static List<byte[]> Vp8Payloads(byte[] frame)
    {
        var payloads = new List<byte[]>();
        new Vp8Packetizer(Mtu).Packetize(frame, payloads);
        return payloads;
    }

    private static void Dispose(List<VideoFrame> pictures)
    {
        foreach (var picture in pictures)
        {
            picture.Dispose();
        }
    }
}
