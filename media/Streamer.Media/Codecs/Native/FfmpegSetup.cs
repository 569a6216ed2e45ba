namespace Streamer.Media.Codecs.Native;

/// <summary>One-time process setup before the first FFmpeg call.</summary>
internal static class FfmpegSetup
{
    private static readonly Lazy<bool> Initialized = new(() =>
    {
        NativeLibraries.EnsureRegistered();
        // Corrupt network input is expected and reported through return codes; FFmpeg's own
        // stderr logging of it would only flood the server log.
        AvUtil.av_log_set_level(AvUtil.LogLevelQuiet);
        return true;
    });

    public static void EnsureInitialized() => _ = Initialized.Value;
}
