using Streamer.Media.Codecs;
using Streamer.Media.Codecs.Native;

namespace Streamer.Media.Tests.Codecs;

[Collection(NativeCodecsCollection.Name)]
public sealed class NativeCodecTests(TestClips clips)
{
    [Theory]
    [InlineData(VideoCodec.Vp8)]
    [InlineData(VideoCodec.H264)]
    public void Encoder_output_decodes_above_30_dB_and_forced_keyframe_is_a_keyframe(VideoCodec codec)
    {
        using var encoder = VideoEncoder.Create(codec, TestClips.Width, TestClips.Height,
            new VideoEncoderOptions { FrameRate = 15, BitRate = 1_500_000, KeyframeInterval = 100 });
        using var decoder = VideoDecoder.Create(codec);
        var encoded = new List<EncodedFrame>();
        for (var i = 0; i < 15; i++)
        {
            using var picture = VideoFrame.Allocate(TestClips.Width, TestClips.Height, (uint)i * 6000);
            clips.SourceFrames[i].CopyTo(picture.Data.Span);
            encoder.Encode(picture, encoded, forceKeyframe: i == 9);
        }
        encoder.Flush(encoded);

        Assert.Equal(15, encoded.Count);
        Assert.True(encoded[0].IsKeyframe);
        Assert.True(encoded[9].IsKeyframe);
        Assert.False(encoded[5].IsKeyframe);
        var pictures = new List<VideoFrame>();
        foreach (var frame in encoded)
        {
            Assert.Equal(DecodeStatus.Ok, decoder.Decode(frame, pictures));
            frame.Dispose();
        }
        decoder.Flush(pictures);
        Assert.Equal(15, pictures.Count);
        for (var i = 0; i < pictures.Count; i++)
        {
            Assert.Equal((uint)i * 6000, pictures[i].RtpTimestamp);
            Assert.True(VideoFrame.Psnr(pictures[i].Y, clips.SourceLuma[i]) > 30);
            pictures[i].Dispose();
        }
    }

    [Fact]
    public void Decoder_refuses_delta_frame_before_keyframe()
    {
        using var decoder = VideoDecoder.Create(VideoCodec.Vp8);
        var frames = CodecRoundTripTests.Vp8Frames(clips.Vp8Ivf);
        using var delta = EncodedFrame.Copy(frames[1], VideoCodec.Vp8, 6000, isKeyframe: false);
        var pictures = new List<VideoFrame>();
        Assert.Equal(DecodeStatus.NeedKeyframe, decoder.Decode(delta, pictures));
        Assert.Empty(pictures);
    }

    [Fact]
    public void Decoder_fed_garbage_returns_error_with_ffmpeg_text_and_recovers_on_next_keyframe()
    {
        using var decoder = VideoDecoder.Create(VideoCodec.Vp8);
        var pictures = new List<VideoFrame>();
        // A keyframe tag (P=0) followed by a wrong start code and random bytes.
        var garbage = new byte[200];
        new Random(3).NextBytes(garbage);
        garbage[0] = 0x10;
        garbage[3] = 0x00;
        using (var bad = EncodedFrame.Copy(garbage, VideoCodec.Vp8, 0, isKeyframe: true))
        {
            Assert.Equal(DecodeStatus.Error, decoder.Decode(bad, pictures));
        }
        Assert.False(string.IsNullOrEmpty(decoder.LastError));
        Assert.Empty(pictures);

        var frames = CodecRoundTripTests.Vp8Frames(clips.Vp8Ivf);
        using (var delta = EncodedFrame.Copy(frames[1], VideoCodec.Vp8, 6000, isKeyframe: false))
        {
            Assert.Equal(DecodeStatus.NeedKeyframe, decoder.Decode(delta, pictures));
        }
        using (var key = EncodedFrame.Copy(frames[0], VideoCodec.Vp8, 0, isKeyframe: true))
        {
            Assert.Equal(DecodeStatus.Ok, decoder.Decode(key, pictures));
        }
        Assert.Single(pictures);
        pictures[0].Dispose();
    }

    [Fact]
    public void H264_decoder_never_throws_on_random_access_units()
    {
        using var decoder = VideoDecoder.Create(VideoCodec.H264);
        var random = new Random(5);
        var pictures = new List<VideoFrame>();
        for (var i = 0; i < 50; i++)
        {
            var data = new byte[random.Next(1, 600)];
            random.NextBytes(data);
            if (data.Length > 5)
            {
                data[0] = 0; data[1] = 0; data[2] = 0; data[3] = 1; data[4] = 0x65;
            }
            using var frame = EncodedFrame.Copy(data, VideoCodec.H264, (uint)i, isKeyframe: true);
            var status = decoder.Decode(frame, pictures);
            Assert.True(status is DecodeStatus.Ok or DecodeStatus.Error);
        }
        foreach (var picture in pictures)
        {
            picture.Dispose();
        }
    }

    [Fact]
    public void Two_hundred_create_dispose_cycles_leave_no_native_handles()
    {
        var before = NativeHandle.Live;
        var keyframe = CodecRoundTripTests.Vp8Frames(clips.Vp8Ivf)[0];
        var pictures = new List<VideoFrame>();
        for (var i = 0; i < 200; i++)
        {
            using var decoder = VideoDecoder.Create(i % 2 == 0 ? VideoCodec.Vp8 : VideoCodec.H264);
            using var opus = new OpusDecoder(2);
            Assert.True(NativeHandle.Live >= before + 4);
            if (i % 20 == 0)
            {
                using var decoderVp8 = VideoDecoder.Create(VideoCodec.Vp8);
                using var frame = EncodedFrame.Copy(keyframe, VideoCodec.Vp8, 0, isKeyframe: true);
                Assert.Equal(DecodeStatus.Ok, decoderVp8.Decode(frame, pictures));
            }
        }
        Assert.Equal(before, NativeHandle.Live);
        Assert.Equal(10, pictures.Count);
        foreach (var picture in pictures)
        {
            picture.Dispose();
        }
    }

    [Fact]
    public void Opus_round_trip_of_440_Hz_sine_correlates_with_input_after_codec_delay()
    {
        const int Frames = 50;
        const int Samples = Frames * OpusEncoder.FrameSize;
        var input = new short[Samples];
        for (var i = 0; i < Samples; i++)
        {
            input[i] = (short)(8000 * Math.Sin(2 * Math.PI * 440 * i / OpusEncoder.SampleRate));
        }

        using var encoder = new OpusEncoder(channels: 1, bitRate: 32000);
        using var decoder = new OpusDecoder(channels: 1);
        var output = new short[Samples];
        var packet = new byte[OpusEncoder.MaxPacketSize];
        var pcm = new short[OpusDecoder.MaxFrameSize];
        for (var f = 0; f < Frames; f++)
        {
            var length = encoder.Encode(input.AsSpan(f * OpusEncoder.FrameSize, OpusEncoder.FrameSize), packet);
            Assert.InRange(length, 10, 400);
            Assert.Equal(OpusDecoder.FrameSize, decoder.Decode(packet.AsSpan(0, length), pcm));
            pcm.AsSpan(0, OpusDecoder.FrameSize).CopyTo(output.AsSpan(f * OpusDecoder.FrameSize));
        }

        // Find the codec delay by cross-correlation over the steady second half.
        var best = 0.0;
        for (var lag = 0; lag < 700; lag++)
        {
            best = Math.Max(best, Correlation(input.AsSpan(Samples / 2 - 2000, 4800), output.AsSpan(Samples / 2 - 2000 + lag, 4800)));
        }
        Assert.True(best > 0.95, $"best correlation {best:F3}");
        var energyRatio = Energy(output.AsSpan(Samples / 2)) / Energy(input.AsSpan(Samples / 2));
        Assert.InRange(energyRatio, 0.7, 1.3);

        // Concealment continues the tone instead of falling silent.
        Assert.Equal(OpusDecoder.FrameSize, decoder.DecodeLost(pcm, OpusDecoder.FrameSize));
        Assert.True(Energy(pcm.AsSpan(0, 480)) > 0.1 * Energy(input.AsSpan(0, 480)));
    }

    [Fact]
    public void Opus_decoder_returns_negative_error_for_invalid_packet()
    {
        using var decoder = new OpusDecoder(channels: 2);
        var pcm = new short[OpusDecoder.MaxFrameSize * 2];
        // TOC code 3 (arbitrary frame count) with a frame count of 0 is invalid (RFC 6716 3.2.5).
        Assert.True(decoder.Decode([0x03, 0x00], pcm) < 0);
    }

    private static double Correlation(ReadOnlySpan<short> a, ReadOnlySpan<short> b)
    {
        double ab = 0, aa = 0, bb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            ab += a[i] * (double)b[i];
            aa += a[i] * (double)a[i];
            bb += b[i] * (double)b[i];
        }
        return ab / Math.Sqrt(aa * bb + 1e-9);
    }

    private static double Energy(ReadOnlySpan<short> samples)
    {
        double sum = 0;
        foreach (var s in samples)
        {
            sum += s * (double)s;
        }
        return sum / samples.Length;
    }
}
