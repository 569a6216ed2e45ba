using System.Diagnostics;

namespace Streamer.Server.Tests.Infrastructure;

/// <summary>Waiting on something a real peer does in its own time (a browser, the server's pipeline).</summary>
public static class Polling
{
    /// <summary>Checks <paramref name="condition"/> every 20 ms; past <paramref name="timeout"/> fails naming <paramref name="what"/> was awaited.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout) throw new TimeoutException($"waited {timeout.TotalSeconds:0} s for {what}");
            await Task.Delay(20);
        }
    }
}
