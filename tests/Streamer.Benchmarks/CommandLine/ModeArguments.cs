using System.Globalization;

namespace Streamer.Benchmarks.CommandLine;

/// <summary>
/// The <c>--name value</c> pairs after a mode's name. Each pair goes to the mode's own
/// <c>apply</c>, which returns the options with that value set, or null for an unknown name or
/// a value out of range; the first bad pair stops the parse with an error listing what the mode takes.
/// </summary>
public static class ModeArguments
{
    public static bool TryParse<T>(IReadOnlyList<string> args, T defaults, Func<T, string, string, T?> apply, string expected,
        out T options, out string? error)
        where T : class
    {
        options = defaults;
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
            if (apply(options, name, value) is not { } next)
            {
                error = $"unknown option or bad value: {name} {value} (expected {expected})";
                return false;
            }
            options = next;
        }
        return true;
    }

    /// <summary>A plain decimal count (no sign, no separators), or null.</summary>
    public static int? Int(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
}
