using System.Runtime.InteropServices;
using System.Text;

namespace Streamer.Media.Codecs.Native;

/// <summary>libavutil entry points: frames, options, errors.</summary>
internal static unsafe partial class AvUtil
{
    /// <summary>AVERROR(EAGAIN) on Linux.</summary>
    internal const int ErrorAgain = -11;
    /// <summary>AVERROR_EOF: -MKTAG('E','O','F',' ').</summary>
    internal const int ErrorEof = -0x20464F45;
    /// <summary>AV_OPT_SEARCH_CHILDREN: also look in the codec's private options.</summary>
    internal const int OptSearchChildren = 1;
    internal const int PixelFormatYuv420P = 0;
    internal const int PixelFormatYuvJ420P = 12;
    internal const int PictureTypeNone = 0;
    internal const int PictureTypeI = 1;
    internal const int LogLevelQuiet = -8;

    [LibraryImport(NativeLibraries.AvUtil)]
    internal static partial nint av_frame_alloc();

    [LibraryImport(NativeLibraries.AvUtil)]
    internal static partial void av_frame_free(nint* frame);

    [LibraryImport(NativeLibraries.AvUtil)]
    internal static partial void av_frame_unref(nint frame);

    [LibraryImport(NativeLibraries.AvUtil)]
    internal static partial int av_frame_get_buffer(nint frame, int align);

    [LibraryImport(NativeLibraries.AvUtil)]
    internal static partial int av_frame_make_writable(nint frame);

    [LibraryImport(NativeLibraries.AvUtil, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int av_opt_set(nint target, string name, string value, int searchFlags);

    [LibraryImport(NativeLibraries.AvUtil, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int av_opt_set_int(nint target, string name, long value, int searchFlags);

    [LibraryImport(NativeLibraries.AvUtil)]
    internal static partial int av_strerror(int error, byte* buffer, nuint size);

    [LibraryImport(NativeLibraries.AvUtil)]
    internal static partial void av_log_set_level(int level);

    internal static string ErrorText(int error)
    {
        const int Size = 128;
        var buffer = stackalloc byte[Size];
        if (av_strerror(error, buffer, Size) < 0)
        {
            return $"FFmpeg error {error}";
        }
        return Encoding.UTF8.GetString(buffer, new ReadOnlySpan<byte>(buffer, Size).IndexOf((byte)0) is var n and >= 0 ? n : Size);
    }
}
