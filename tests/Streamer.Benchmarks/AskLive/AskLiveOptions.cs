using System.Globalization;

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

    public static bool TryParse(IReadOnlyList<string> args, out AskLiveOptions options, out string? error)
    {
        options = new AskLiveOptions();
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
                case "--sessions" when ParseCounts(value) is { Count: > 0 } counts:
                    options = options with { SessionCounts = counts };
                    break;
                case "--questions" when Int(value) is >= 1 and <= 1000 and var questions:
                    options = options with { Questions = questions };
                    break;
                case "--max-tokens" when Int(value) is >= 1 and <= 4096 and var tokens:
                    options = options with { MaxNewTokens = tokens };
                    break;
                case "--idle-seconds" when Int(value) is >= 1 and <= 600 and var idle:
                    options = options with { IdleSeconds = idle };
                    break;
                case "--artifacts":
                    options = options with { Artifacts = value };
                    break;
                default:
                    error = $"unknown option or bad value: {name} {value} (expected --sessions 1,4,16 (1..64 each), --questions 1..1000, --max-tokens 1..4096, --idle-seconds 1..600, --artifacts DIR)";
                    return false;
            }
        }
        return true;
    }

    private static int? Int(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;

    private static List<int>? ParseCounts(string list)
    {
        var counts = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Int).ToList();
        return counts.All(c => c is >= 1 and <= 64) ? [.. counts.Select(c => c!.Value)] : null;
    }
}
