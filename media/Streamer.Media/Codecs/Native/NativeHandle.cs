using System.Runtime.InteropServices;

namespace Streamer.Media.Codecs.Native;

/// <summary>
/// Owns one native object. Dispose frees it at once; the finalizer is only a fallback.
/// <see cref="Live"/> counts the objects not yet freed, so tests can prove nothing leaks.
/// </summary>
internal abstract class NativeHandle : SafeHandle
{
    private static long s_live;

    protected NativeHandle(nint pointer)
        : base(IntPtr.Zero, ownsHandle: true)
    {
        SetHandle(pointer);
        if (pointer != IntPtr.Zero)
        {
            Interlocked.Increment(ref s_live);
        }
    }

    public static long Live => Interlocked.Read(ref s_live);

    public override bool IsInvalid => handle == IntPtr.Zero;

    public nint Pointer => handle;

    protected sealed override bool ReleaseHandle()
    {
        Free(handle);
        Interlocked.Decrement(ref s_live);
        return true;
    }

    protected abstract void Free(nint pointer);
}

internal sealed class CodecContextHandle(nint pointer) : NativeHandle(pointer)
{
    protected override unsafe void Free(nint pointer) => AvCodec.avcodec_free_context(&pointer);
}

internal sealed class PacketHandle(nint pointer) : NativeHandle(pointer)
{
    protected override unsafe void Free(nint pointer) => AvCodec.av_packet_free(&pointer);
}

internal sealed class FrameHandle(nint pointer) : NativeHandle(pointer)
{
    protected override unsafe void Free(nint pointer) => AvUtil.av_frame_free(&pointer);
}

internal sealed class ScaleContextHandle(nint pointer) : NativeHandle(pointer)
{
    protected override void Free(nint pointer) => SwScale.sws_freeContext(pointer);
}

internal sealed class OpusDecoderHandle(nint pointer) : NativeHandle(pointer)
{
    protected override void Free(nint pointer) => Opus.opus_decoder_destroy(pointer);
}

internal sealed class OpusEncoderHandle(nint pointer) : NativeHandle(pointer)
{
    protected override void Free(nint pointer) => Opus.opus_encoder_destroy(pointer);
}
