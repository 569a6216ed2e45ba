using System.Globalization;

namespace Streamer.Benchmarks.Rtsp;

/// <summary>The command line of the <c>rtsp-ingest</c> mode: <c>[--seconds N] [--cameras K] [--artifacts DIR]</c>.</summary>
public sealed record RtspIngestOptions
{
    public const int DefaultSeconds = 10;

    /// <summary>Length of each measured window, after the warm-up.</summary>
    public int Seconds { get; init; } = DefaultSeconds;

    /// <summary>The most cameras pulled at once; the run measures 1, 2, 4, ... up to it.</summary>
    public int Cameras { get; init; } = 4;

    /// <summary>Where results/rtsp-ingest.md goes; null means the repository's artifacts/benchmarks.</summary>
    public string? Artifacts { get; init; }

    /// <summary>Camera counts measured: the powers of two below <see cref="Cameras"/>, then <see cref="Cameras"/>.</summary>
    public IReadOnlyList<int> CameraCounts
    {
        get
        {
            var counts = new List<int>();
            for (var k = 1; k < Cameras; k *= 2)
            {
                counts.Add(k);
            }
            counts.Add(Cameras);
            return counts;
        }
    }

    public static bool TryParse(IReadOnlyList<string> args, out RtspIngestOptions options, out string? error)
    {
        options = new RtspIngestOptions();
        error = null;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Count)
            {
                error = $"{name} needs a value";
                return false;
            }
            var value = args[++i];
            switch (name)
            {
                case "--seconds" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 1 and <= 600:
                    options = options with { Seconds = seconds };
                    break;
                case "--cameras" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var cameras) && cameras is >= 1 and <= 64:
                    options = options with { Cameras = cameras };
                    break;
                case "--artifacts":
                    options = options with { Artifacts = value };
                    break;
                default:
                    error = $"unknown option or bad value: {name} {value} (expected --seconds 1..600, --cameras 1..64, --artifacts DIR)";
                    return false;
            }
        }
        return true;
    }
}
