using Streamer.Media.Codecs.Native;

namespace Streamer.Media.Codecs;

/// <summary>
/// Decodes VP8, H.264 or H.265 through libavcodec into I420 <see cref="VideoFrame"/>s. Corrupt
/// input is reported as <see cref="DecodeStatus.Error"/> with FFmpeg's message, never thrown.
/// Until the first keyframe (and again after an error) delta frames are refused with
/// <see cref="DecodeStatus.NeedKeyframe"/>, which the caller turns into a PLI.
/// </summary>
public sealed unsafe class VideoDecoder : IDisposable
{
    private readonly CodecContextHandle _context;
    private readonly PacketHandle _packet;
    private readonly FrameHandle _frame;
    private ScaleContextHandle? _scale;
    private int _scaleWidth;
    private int _scaleHeight;
    private int _scaleFormat;
    private bool _needKeyframe = true;

    private VideoDecoder(VideoCodec codec, CodecContextHandle context, PacketHandle packet, FrameHandle frame)
    {
        Codec = codec;
        _context = context;
        _packet = packet;
        _frame = frame;
    }

    public VideoCodec Codec { get; }

    /// <summary>FFmpeg's text for the last <see cref="DecodeStatus.Error"/>.</summary>
    public string? LastError { get; private set; }

    public static VideoDecoder Create(VideoCodec codec, int threads = 1)
    {
        FfmpegSetup.EnsureInitialized();
        var name = codec switch
        {
            VideoCodec.Vp8 => "vp8",
            VideoCodec.H264 => "h264",
            VideoCodec.H265 => "hevc",
            _ => throw new ArgumentOutOfRangeException(nameof(codec)),
        };
        var decoder = AvCodec.avcodec_find_decoder_by_name(name);
        if (decoder == IntPtr.Zero)
        {
            throw new NotSupportedException($"libavcodec has no {name} decoder.");
        }

        var context = new CodecContextHandle(AvCodec.avcodec_alloc_context3(decoder));
        var packet = new PacketHandle(AvCodec.av_packet_alloc());
        var frame = new FrameHandle(AvUtil.av_frame_alloc());
        try
        {
            if (context.IsInvalid || packet.IsInvalid || frame.IsInvalid)
            {
                throw new OutOfMemoryException("FFmpeg could not allocate the decoder.");
            }
            AvUtil.av_opt_set_int(context.Pointer, "threads", Math.Max(1, threads), 0);
            var result = AvCodec.avcodec_open2(context.Pointer, decoder, IntPtr.Zero);
            if (result < 0)
            {
                throw new InvalidOperationException($"avcodec_open2({name}): {AvUtil.ErrorText(result)}");
            }
            return new VideoDecoder(codec, context, packet, frame);
        }
        catch
        {
            frame.Dispose();
            packet.Dispose();
            context.Dispose();
            throw;
        }
    }

    /// <summary>Decodes one frame; finished pictures (possibly none yet) are added to <paramref name="output"/>.</summary>
    public DecodeStatus Decode(EncodedFrame frame, List<VideoFrame> output)
    {
        ObjectDisposedException.ThrowIf(_context.IsClosed, this);
        if (_needKeyframe && !frame.IsKeyframe)
        {
            return DecodeStatus.NeedKeyframe;
        }

        var data = frame.Data.Span;
        var packet = _packet.Pointer;
        var result = AvCodec.av_new_packet(packet, data.Length);
        if (result < 0)
        {
            return Fail(result);
        }
        data.CopyTo(new Span<byte>(AvLayout.PacketDataOf(packet), data.Length));
        AvLayout.SetPacketPts(packet, frame.RtpTimestamp);

        result = AvCodec.avcodec_send_packet(_context.Pointer, packet);
        if (result == AvUtil.ErrorAgain)
        {
            // The decoder holds finished frames; take them, then it accepts input again.
            var drained = Receive(output);
            if (drained < 0)
            {
                AvCodec.av_packet_unref(packet);
                return Fail(drained);
            }
            result = AvCodec.avcodec_send_packet(_context.Pointer, packet);
        }
        AvCodec.av_packet_unref(packet);
        if (result < 0)
        {
            return Fail(result);
        }

        result = Receive(output);
        if (result < 0)
        {
            return Fail(result);
        }
        if (frame.IsKeyframe)
        {
            _needKeyframe = false;
        }
        return DecodeStatus.Ok;
    }

    /// <summary>
    /// Returns the pictures the decoder still holds (reordering delay) at the end of a stream,
    /// then makes the decoder ready for a new stream starting with a keyframe.
    /// </summary>
    public DecodeStatus Flush(List<VideoFrame> output)
    {
        ObjectDisposedException.ThrowIf(_context.IsClosed, this);
        var result = AvCodec.avcodec_send_packet(_context.Pointer, IntPtr.Zero);
        if (result >= 0)
        {
            result = Receive(output);
        }
        AvCodec.avcodec_flush_buffers(_context.Pointer);
        _needKeyframe = true;
        return result < 0 && result != AvUtil.ErrorEof ? Fail(result) : DecodeStatus.Ok;
    }

    private int Receive(List<VideoFrame> output)
    {
        var frame = _frame.Pointer;
        while (true)
        {
            var result = AvCodec.avcodec_receive_frame(_context.Pointer, frame);
            if (result == AvUtil.ErrorAgain || result == AvUtil.ErrorEof)
            {
                return 0;
            }
            if (result < 0)
            {
                return result;
            }

            try
            {
                var picture = Convert(frame);
                if (picture is not null)
                {
                    output.Add(picture);
                }
            }
            finally
            {
                AvUtil.av_frame_unref(frame);
            }
        }
    }

    private VideoFrame? Convert(nint frame)
    {
        var width = AvLayout.FrameWidthOf(frame);
        var height = AvLayout.FrameHeightOf(frame);
        var format = AvLayout.FrameFormatOf(frame);
        if (width <= 0 || height <= 0)
        {
            return null;
        }

        var picture = VideoFrame.Allocate(width, height, unchecked((uint)AvLayout.FramePtsOf(frame)));
        if (format is AvUtil.PixelFormatYuv420P or AvUtil.PixelFormatYuvJ420P)
        {
            CopyPlane(frame, 0, picture.Y, width, height);
            CopyPlane(frame, 1, picture.U, picture.ChromaWidth, picture.ChromaHeight);
            CopyPlane(frame, 2, picture.V, picture.ChromaWidth, picture.ChromaHeight);
            return picture;
        }

        if (!Scale(frame, width, height, format, picture))
        {
            picture.Dispose();
            return null;
        }
        return picture;
    }

    private static void CopyPlane(nint frame, int plane, Span<byte> destination, int width, int height)
    {
        var source = AvLayout.FramePlane(frame, plane);
        var stride = AvLayout.FrameStride(frame, plane);
        for (var row = 0; row < height; row++)
        {
            new ReadOnlySpan<byte>(source + ((long)row * stride), width).CopyTo(destination.Slice(row * width, width));
        }
    }

    private bool Scale(nint frame, int width, int height, int format, VideoFrame picture)
    {
        if (_scale is null || _scaleWidth != width || _scaleHeight != height || _scaleFormat != format)
        {
            _scale?.Dispose();
            _scale = new ScaleContextHandle(SwScale.sws_getContext(width, height, format, width, height, AvUtil.PixelFormatYuv420P, SwScale.Bilinear, 0, 0, 0));
            (_scaleWidth, _scaleHeight, _scaleFormat) = (width, height, format);
            if (_scale.IsInvalid)
            {
                LastError = $"swscale cannot convert pixel format {format}";
                return false;
            }
        }

        var sources = stackalloc byte*[4];
        var sourceStrides = stackalloc int[4];
        for (var plane = 0; plane < 4; plane++)
        {
            sources[plane] = AvLayout.FramePlane(frame, plane);
            sourceStrides[plane] = AvLayout.FrameStride(frame, plane);
        }

        fixed (byte* y = picture.Y)
        fixed (byte* u = picture.U)
        fixed (byte* v = picture.V)
        {
            var destinations = stackalloc byte*[4] { y, u, v, null };
            var destinationStrides = stackalloc int[4] { width, picture.ChromaWidth, picture.ChromaWidth, 0 };
            return SwScale.sws_scale(_scale.Pointer, sources, sourceStrides, 0, height, destinations, destinationStrides) == height;
        }
    }

    private DecodeStatus Fail(int error)
    {
        LastError = AvUtil.ErrorText(error);
        _needKeyframe = true;
        return DecodeStatus.Error;
    }

    public void Dispose()
    {
        _scale?.Dispose();
        _frame.Dispose();
        _packet.Dispose();
        _context.Dispose();
    }
}
