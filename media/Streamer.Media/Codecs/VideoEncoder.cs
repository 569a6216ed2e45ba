using Streamer.Media.Codecs.Native;

namespace Streamer.Media.Codecs;

/// <summary>
/// Real-time encoder over libavcodec: VP8 through libvpx (deadline realtime, no lag) and
/// H.264 through libx264 (preset ultrafast, tune zerolatency, constrained baseline, SPS/PPS
/// before every IDR). Output frames are Annex-B for H.264 and carry the input's RTP timestamp.
/// </summary>
public sealed unsafe class VideoEncoder : IDisposable
{
    private readonly CodecContextHandle _context;
    private readonly PacketHandle _packet;
    private readonly FrameHandle _frame;
    private readonly Dictionary<long, uint> _timestamps = [];
    private long _frameIndex;

    private VideoEncoder(VideoCodec codec, int width, int height, CodecContextHandle context, PacketHandle packet, FrameHandle frame)
    {
        Codec = codec;
        Width = width;
        Height = height;
        _context = context;
        _packet = packet;
        _frame = frame;
    }

    public VideoCodec Codec { get; }
    public int Width { get; }
    public int Height { get; }

    public static VideoEncoder Create(VideoCodec codec, int width, int height, VideoEncoderOptions? options = null)
    {
        FfmpegSetup.EnsureInitialized();
        options ??= new VideoEncoderOptions();
        if (width <= 0 || height <= 0 || width % 2 != 0 || height % 2 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(width), "Encoders need positive even dimensions.");
        }

        var name = codec switch
        {
            VideoCodec.Vp8 => "libvpx",
            VideoCodec.H264 => "libx264",
            _ => throw new NotSupportedException($"No encoder for {codec}."),
        };
        var encoder = AvCodec.avcodec_find_encoder_by_name(name);
        if (encoder == IntPtr.Zero)
        {
            throw new NotSupportedException($"libavcodec has no {name} encoder.");
        }

        var context = new CodecContextHandle(AvCodec.avcodec_alloc_context3(encoder));
        var packet = new PacketHandle(AvCodec.av_packet_alloc());
        var frame = new FrameHandle(AvUtil.av_frame_alloc());
        try
        {
            if (context.IsInvalid || packet.IsInvalid || frame.IsInvalid)
            {
                throw new OutOfMemoryException("FFmpeg could not allocate the encoder.");
            }

            var c = context.Pointer;
            Set(c, "video_size", $"{width}x{height}");
            Set(c, "pixel_format", "yuv420p");
            Set(c, "time_base", $"1/{options.FrameRate}");
            SetInt(c, "b", options.BitRate);
            SetInt(c, "g", Math.Max(1, options.KeyframeInterval));
            SetInt(c, "threads", Math.Max(1, options.Threads));
            SetInt(c, "bf", 0);
            if (codec == VideoCodec.Vp8)
            {
                Set(c, "deadline", "realtime");
                Set(c, "cpu-used", "8");
                Set(c, "lag-in-frames", "0");
            }
            else
            {
                Set(c, "preset", "ultrafast");
                Set(c, "tune", "zerolatency");
                Set(c, "profile", "baseline");
                Set(c, "forced-idr", "1");
            }

            var result = AvCodec.avcodec_open2(c, encoder, IntPtr.Zero);
            if (result < 0)
            {
                throw new InvalidOperationException($"avcodec_open2({name}): {AvUtil.ErrorText(result)}");
            }

            AvLayout.SetFrameGeometry(frame.Pointer, width, height, AvUtil.PixelFormatYuv420P);
            result = AvUtil.av_frame_get_buffer(frame.Pointer, 0);
            if (result < 0)
            {
                throw new InvalidOperationException($"av_frame_get_buffer: {AvUtil.ErrorText(result)}");
            }
            return new VideoEncoder(codec, width, height, context, packet, frame);
        }
        catch
        {
            frame.Dispose();
            packet.Dispose();
            context.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Encodes one picture of the encoder's size; finished frames (possibly none yet) are
    /// added to <paramref name="output"/>. Throws when libavcodec refuses the picture.
    /// </summary>
    public void Encode(VideoFrame picture, List<EncodedFrame> output, bool forceKeyframe = false)
    {
        ObjectDisposedException.ThrowIf(_context.IsClosed, this);
        if (picture.Width != Width || picture.Height != Height)
        {
            throw new ArgumentException($"Picture is {picture.Width}x{picture.Height}, encoder is {Width}x{Height}.", nameof(picture));
        }

        var frame = _frame.Pointer;
        Check(AvUtil.av_frame_make_writable(frame), "av_frame_make_writable");
        CopyPlane(picture.Y, frame, 0, Width, Height);
        CopyPlane(picture.U, frame, 1, picture.ChromaWidth, picture.ChromaHeight);
        CopyPlane(picture.V, frame, 2, picture.ChromaWidth, picture.ChromaHeight);

        // Encoders count time in frames of the configured rate; RTP time is mapped back on output.
        var pts = _frameIndex++;
        _timestamps[pts] = picture.RtpTimestamp;
        AvLayout.SetFramePts(frame, pts);
        AvLayout.SetFramePictureType(frame, forceKeyframe ? AvUtil.PictureTypeI : AvUtil.PictureTypeNone);
        Check(AvCodec.avcodec_send_frame(_context.Pointer, frame), "avcodec_send_frame");
        Receive(output);
    }

    /// <summary>Drains frames still inside the encoder at the end of a stream.</summary>
    public void Flush(List<EncodedFrame> output)
    {
        ObjectDisposedException.ThrowIf(_context.IsClosed, this);
        var result = AvCodec.avcodec_send_frame(_context.Pointer, IntPtr.Zero);
        if (result < 0 && result != AvUtil.ErrorEof)
        {
            Check(result, "avcodec_send_frame");
        }
        Receive(output);
    }

    private void Receive(List<EncodedFrame> output)
    {
        var packet = _packet.Pointer;
        while (true)
        {
            var result = AvCodec.avcodec_receive_packet(_context.Pointer, packet);
            if (result == AvUtil.ErrorAgain || result == AvUtil.ErrorEof)
            {
                return;
            }
            Check(result, "avcodec_receive_packet");
            try
            {
                var pts = AvLayout.PacketPtsOf(packet);
                _timestamps.Remove(pts, out var rtpTimestamp);
                var data = new ReadOnlySpan<byte>(AvLayout.PacketDataOf(packet), AvLayout.PacketSizeOf(packet));
                output.Add(EncodedFrame.Copy(data, Codec, rtpTimestamp, AvLayout.PacketIsKey(packet)));
            }
            finally
            {
                AvCodec.av_packet_unref(packet);
            }
        }
    }

    private static void CopyPlane(ReadOnlySpan<byte> source, nint frame, int plane, int width, int height)
    {
        var destination = AvLayout.FramePlane(frame, plane);
        var stride = AvLayout.FrameStride(frame, plane);
        for (var row = 0; row < height; row++)
        {
            source.Slice(row * width, width).CopyTo(new Span<byte>(destination + ((long)row * stride), width));
        }
    }

    private static void Set(nint context, string name, string value) =>
        Check(AvUtil.av_opt_set(context, name, value, AvUtil.OptSearchChildren), $"option {name}={value}");

    private static void SetInt(nint context, string name, long value) =>
        Check(AvUtil.av_opt_set_int(context, name, value, AvUtil.OptSearchChildren), $"option {name}={value}");

    private static void Check(int result, string what)
    {
        if (result < 0)
        {
            throw new InvalidOperationException($"{what}: {AvUtil.ErrorText(result)}");
        }
    }

    public void Dispose()
    {
        _frame.Dispose();
        _packet.Dispose();
        _context.Dispose();
    }
}
