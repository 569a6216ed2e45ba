using Streamer.Benchmarks.CommandLine;

namespace Streamer.Benchmarks.AskLive;

/// <summary>
/// The command line of the <c>ask-live</c> mode:
/// <c>[--sessions 1,4,16] [--questions N] [--max-tokens N] [--idle-seconds N] [--artifacts DIR]</c>.
/// </summary>
public sealed record AskLiveOptions
{
    /// <summary>Concurrent sessions of each case, one case after another.</summary>
    public IReadOnlyList<int> SessionCounts { get; init; } = [1, 4, 16];

    /// <summary>Questions each session asks through the hub, one after another, all sessions at once.</summary>
    public int Questions { get; init; } = 10;

    /// <summary>Chat:MaxNewTokens of the server and of the direct baseline: the random model always runs to it.</summary>
    public int MaxNewTokens { get; init; } = 16;

    /// <summary>Window with ingest only, before the questions, for the ingest-to-memory lag without answers competing for the cores.</summary>
    public int IdleSeconds { get; init; } = 10;

    /// <summary>Frames per second each session samples into memory.</summary>
    public double SampleFps { get; init; } = 2;

    /// <summary>Where results/ask-live.md goes; null means the repository's artifacts/benchmarks.</summary>
    public string? Artifacts { get; init; }

    public static bool TryParse(IReadOnlyList<string> args, out AskLiveOptions options, out string? error) =>
        ModeArguments.TryParse(args, new AskLiveOptions(), Apply,
            "--sessions 1,4,16 (1..64 each), --questions 1..1000, --max-tokens 1..4096, --idle-seconds 1..600, --artifacts DIR",
            out options, out error);

    private static AskLiveOptions? Apply(AskLiveOptions options, string name, string value) => name switch
    {
        "--sessions" when ParseCounts(value) is { Count: > 0 } counts => options with { SessionCounts = counts },
        "--questions" when ModeArguments.Int(value) is >= 1 and <= 1000 and var questions => options with { Questions = questions },
        "--max-tokens" when ModeArguments.Int(value) is >= 1 and <= 4096 and var tokens => options with { MaxNewTokens = tokens },
        "--idle-seconds" when ModeArguments.Int(value) is >= 1 and <= 600 and var idle => options with { IdleSeconds = idle },
        "--artifacts" => options with { Artifacts = value },
        _ => null,
    };

    private static List<int>? ParseCounts(string list)
    {
        var counts = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ModeArguments.Int).ToList();
        return counts.All(c => c is >= 1 and <= 64) ? [.. counts.Select(c => c!.Value)] : null;
    }
}
