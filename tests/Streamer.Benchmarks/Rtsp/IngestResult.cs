namespace Streamer.Benchmarks.Rtsp;

/// <summary>
/// What one measured window produced, for Streamer or for the ffmpeg CLI. Rates are over the
/// window's wall time; "per camera-second" is per second of received video (frames over the
/// clip's frame rate), so a window stretched by a loaded machine does not flatter the figure.
/// </summary>
public sealed record IngestResult
{
    public required string Name { get; init; }

    public required IngestCase Case { get; init; }

    public required double Seconds { get; init; }

    /// <summary>CPU seconds (user and system) of the process measured: Streamer's, or ffmpeg's.</summary>
    public required double CpuSeconds { get; init; }

    /// <summary>CPU seconds of the RTSP server process over the same window.</summary>
    public required double ServerCpuSeconds { get; init; }

    public required long Received { get; init; }

    public required long Decoded { get; init; }

    public long Keyframes { get; init; }

    /// <summary>Frames the channel into the decoder did not accept.</summary>
    public long Dropped { get; init; }

    public long DecodeErrors { get; init; }

    /// <summary>RTP bytes received; null where the tool does not say.</summary>
    public long? Bytes { get; init; }

    /// <summary>Managed bytes the process allocated; null for the ffmpeg CLI.</summary>
    public long? AllocatedBytes { get; init; }

    public double ReceivedFps => Received / Seconds;

    public double DecodedFps => Decoded / Seconds;

    public double CameraSeconds => (double)Received / IngestClips.FrameRate;

    public double CpuMillisecondsPerDecodedFrame => Decoded == 0 ? double.NaN : CpuSeconds * 1000 / Decoded;

    public double CpuSecondsPerCameraSecond => CameraSeconds == 0 ? double.NaN : CpuSeconds / CameraSeconds;

    /// <summary>Cameras one core keeps up with: the inverse of the CPU a camera costs per second of its video.</summary>
    public double CamerasPerCore => 1 / CpuSecondsPerCameraSecond;

    public double ServerCpuSecondsPerCameraSecond => CameraSeconds == 0 ? double.NaN : ServerCpuSeconds / CameraSeconds;

    public double? AllocatedKilobytesPerFrame => AllocatedBytes is { } bytes && Received > 0 ? bytes / 1024.0 / Received : null;

    public double? MegabitsPerSecond => Bytes is { } bytes ? bytes * 8 / Seconds / 1e6 : null;
}
