using System.Runtime.InteropServices;

namespace Streamer.Media.Codecs.Native;

/// <summary>libswscale entry points, used to bring any decoder output format to I420.</summary>
internal static unsafe partial class SwScale
{
    internal const int Bilinear = 2;

    [LibraryImport(NativeLibraries.SwScale)]
    internal static partial nint sws_getContext(int sourceWidth, int sourceHeight, int sourceFormat, int destinationWidth, int destinationHeight, int destinationFormat, int flags, nint sourceFilter, nint destinationFilter, nint parameters);

    [LibraryImport(NativeLibraries.SwScale)]
    internal static partial int sws_scale(nint context, byte** sourceSlices, int* sourceStrides, int sliceY, int sliceHeight, byte** destination, int* destinationStrides);

    [LibraryImport(NativeLibraries.SwScale)]
    internal static partial void sws_freeContext(nint context);
}
