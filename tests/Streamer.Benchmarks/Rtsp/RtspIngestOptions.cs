using Streamer.Benchmarks.CommandLine;

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

    public static bool TryParse(IReadOnlyList<string> args, out RtspIngestOptions options, out string? error) =>
        ModeArguments.TryParse(args, new RtspIngestOptions(), Apply, "--seconds 1..600, --cameras 1..64, --artifacts DIR",
            out options, out error);

    private static RtspIngestOptions? Apply(RtspIngestOptions options, string name, string value) => name switch
    {
        "--seconds" when ModeArguments.Int(value) is >= 1 and <= 600 and var seconds => options with { Seconds = seconds },
        "--cameras" when ModeArguments.Int(value) is >= 1 and <= 64 and var cameras => options with { Cameras = cameras },
        "--artifacts" => options with { Artifacts = value },
        _ => null,
    };
}
