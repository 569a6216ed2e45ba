using System.Runtime.InteropServices;

namespace Streamer.Media.Codecs.Native;

/// <summary>libavcodec entry points (the send/receive API, stable from FFmpeg 4 to 7).</summary>
internal static unsafe partial class AvCodec
{
    [LibraryImport(NativeLibraries.AvCodec, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint avcodec_find_decoder_by_name(string name);

    [LibraryImport(NativeLibraries.AvCodec, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint avcodec_find_encoder_by_name(string name);

    [LibraryImport(NativeLibraries.AvCodec)]
    internal static partial nint avcodec_alloc_context3(nint codec);

    [LibraryImport(NativeLibraries.AvCodec)]
    internal static partial int avcodec_open2(nint context, nint codec, nint options);

    [LibraryImport(NativeLibraries.AvCodec)]
    internal static partial void avcodec_free_context(nint* context);

    [LibraryImport(NativeLibraries.AvCodec)]
    internal static partial int avcodec_send_packet(nint context, nint packet);

    [LibraryImport(NativeLibraries.AvCodec)]
    internal static partial int avcodec_receive_frame(nint context, nint frame);

    [LibraryImport(NativeLibraries.AvCodec)]
    internal static partial int avcodec_send_frame(nint context, nint frame);

    [LibraryImport(NativeLibraries.AvCodec)]
    internal static partial int avcodec_receive_packet(nint context, nint packet);

    [LibraryImport(NativeLibraries.AvCodec)]
    internal static partial void avcodec_flush_buffers(nint context);

    [LibraryImport(NativeLibraries.AvCodec)]
    internal static partial nint av_packet_alloc();

    [LibraryImport(NativeLibraries.AvCodec)]
    internal static partial void av_packet_free(nint* packet);

    [LibraryImport(NativeLibraries.AvCodec)]
    internal static partial int av_new_packet(nint packet, int size);

    [LibraryImport(NativeLibraries.AvCodec)]
    internal static partial void av_packet_unref(nint packet);
}
