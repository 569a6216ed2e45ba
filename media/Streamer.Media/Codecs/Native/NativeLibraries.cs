using System.Reflection;
using System.Runtime.InteropServices;

namespace Streamer.Media.Codecs.Native;

/// <summary>
/// Maps the logical library names used by the imports to the system's sonames. FFmpeg's
/// libraries must come from one release, so the avcodec major found first fixes the
/// avutil and swscale majors (5.x: 59/57/6, 6.x: 60/58/7, 7.x: 61/59/8, 4.x: 58/56/5).
/// The resolver is registered once for this assembly.
/// </summary>
internal static class NativeLibraries
{
    internal const string AvCodec = "avcodec";
    internal const string AvUtil = "avutil";
    internal const string SwScale = "swscale";
    internal const string Opus = "opus";

    private static readonly (int AvCodec, int AvUtil, int SwScale)[] Releases =
    [
        (59, 57, 6),
        (60, 58, 7),
        (61, 59, 8),
        (58, 56, 5),
    ];

    private static readonly Lock Gate = new();
    private static bool s_registered;
    private static int s_release = -2;

    public static void EnsureRegistered()
    {
        lock (Gate)
        {
            if (s_registered)
            {
                return;
            }
            NativeLibrary.SetDllImportResolver(typeof(NativeLibraries).Assembly, Resolve);
            s_registered = true;
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        return name switch
        {
            AvCodec => LoadFfmpeg("avcodec", release => Releases[release].AvCodec),
            AvUtil => LoadFfmpeg("avutil", release => Releases[release].AvUtil),
            SwScale => LoadFfmpeg("swscale", release => Releases[release].SwScale),
            Opus => TryLoad("libopus.so.0") is var opus && opus != IntPtr.Zero ? opus : TryLoad("libopus.so"),
            _ => IntPtr.Zero,
        };
    }

    private static IntPtr LoadFfmpeg(string library, Func<int, int> major)
    {
        var release = FindRelease();
        if (release >= 0 && TryLoad($"lib{library}.so.{major(release)}") is var exact && exact != IntPtr.Zero)
        {
            return exact;
        }
        foreach (var candidate in Releases)
        {
            var handle = TryLoad($"lib{library}.so.{major(Array.IndexOf(Releases, candidate))}");
            if (handle != IntPtr.Zero)
            {
                return handle;
            }
        }
        return TryLoad($"lib{library}.so");
    }

    private static int FindRelease()
    {
        lock (Gate)
        {
            if (s_release != -2)
            {
                return s_release;
            }
            s_release = -1;
            for (var i = 0; i < Releases.Length; i++)
            {
                if (NativeLibrary.TryLoad($"libavcodec.so.{Releases[i].AvCodec}", out _))
                {
                    s_release = i;
                    break;
                }
            }
            return s_release;
        }
    }

    private static IntPtr TryLoad(string fileName) =>
        NativeLibrary.TryLoad(fileName, out var handle) ? handle : IntPtr.Zero;
}
