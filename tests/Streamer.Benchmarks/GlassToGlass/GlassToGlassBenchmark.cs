using Streamer.Media.Codecs;
using Streamer.Server.WebRtc;

namespace Streamer.Benchmarks.GlassToGlass;

/// <summary>
/// Glass-to-glass latency of the WebRTC ingest on loopback: for each codec, first the canvas is
/// published over WHIP to the server in this process and each frame is timed from its paint to
/// leaving the session's decoder; then, as the baseline, the same track goes between two peer
/// connections inside the page and each frame is timed to its presentation in a video element.
/// The phases run one after another so they never share the CPU.
/// </summary>
public sealed class GlassToGlassBenchmark(TimeProvider time, TextWriter log)
{
    public const int Fps = 30;
    public const string ServerPath = "Streamer WHIP -> decoder";
    public const string BrowserPath = "Chromium loopback (baseline)";

    public static readonly IReadOnlyList<string> DefaultCodecs = ["VP8", "H264"];

    /// <summary>Connection start and the sender's bandwidth ramp are not what is measured.</summary>
    public static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan ServerWarmUp = TimeSpan.FromSeconds(3);

    /// <summary>After the last paint, time for the frames in flight to come out.</summary>
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(1);

    /// <summary>Measures <paramref name="codecs"/> in order, each first through the server, then the baseline.</summary>
    public async Task<GlassToGlassResult> RunAsync(TimeSpan phaseDuration, IReadOnlyList<string> codecs)
    {
        var clock = new EpochClock(time);
        await using var server = StreamerHost.Start();
        await using var chromium = await ChromiumBrowser.LaunchAsync();
        var page = new CounterPage(chromium.Page);
        await page.OpenAsync(server.BaseAddress, Fps);
        var before = await ClockOffset.MeasureAsync(page, clock);

        await WarmUpServerAsync(server, page, codecs[0]);
        var phases = new List<PhaseResult>();
        foreach (var codec in codecs)
        {
            phases.Add(await MeasureServerAsync(server, page, clock, codec, phaseDuration));
            phases.Add(await MeasureBrowserAsync(page, codec, phaseDuration));
        }

        var after = await ClockOffset.MeasureAsync(page, clock);
        return new GlassToGlassResult(phases, before, after, phaseDuration, WarmUp, Fps);
    }

    /// <summary>
    /// One unmeasured publish first: the server's code is cold at the first connection, and
    /// Chromium's bandwidth estimate for that connection was seen to stay low for the whole phase.
    /// </summary>
    private async Task WarmUpServerAsync(StreamerHost server, CounterPage page, string codec)
    {
        log.WriteLine($"  {codec}: warm-up over WHIP, {ServerWarmUp.TotalSeconds:F0} s, not measured");
        await page.StartPaintingAsync();
        var location = await page.PublishAsync(StreamerHost.Token, codec);
        await Task.Delay(ServerWarmUp, time);
        await page.StopPaintingAsync();
        await DeleteSessionAsync(server, location);
        await page.CloseConnectionsAsync();
    }

    private static async Task DeleteSessionAsync(StreamerHost server, string location)
    {
        // The server ends the session when the browser hangs up, so it is deleted first.
        using var client = server.Client();
        using var deleted = await client.DeleteAsync(location);
        deleted.EnsureSuccessStatusCode();
    }

    private async Task<PhaseResult> MeasureServerAsync(StreamerHost server, CounterPage page, EpochClock clock, string codec, TimeSpan duration)
    {
        log.WriteLine($"  {codec}: {ServerPath}, {duration.TotalSeconds:F0} s");
        var arrivals = new List<FrameStamp>();
        var rejected = 0;
        var resolution = "";
        var gate = new Lock();
        void OnFrameDecoded(VideoFrame frame)
        {
            // Stamped first: the frame has just left the decoder, reading the counter is not part of it.
            var at = clock.NowMilliseconds();
            var read = FrameCounterPattern.TryRead(frame.Y, frame.Width, frame.Height, out var counter);
            lock (gate)
            {
                if (read) arrivals.Add(new FrameStamp(counter, at));
                else rejected++;
                resolution = $"{frame.Width}x{frame.Height}";
            }
        }

        await page.StartPaintingAsync();
        var location = await page.PublishAsync(StreamerHost.Token, codec);
        var id = location.Split('/')[^1];
        var session = server.Sessions.All.OfType<WebRtcSession>().Single(s => s.Id == id);
        session.Decoder.FrameDecoded += OnFrameDecoded;
        var (measureFrom, sender) = await MeasureAsync(page, duration);
        session.Decoder.FrameDecoded -= OnFrameDecoded;
        var paints = await page.PaintsAsync();
        await DeleteSessionAsync(server, location);
        await page.CloseConnectionsAsync();

        lock (gate)
        {
            return PhaseResult.Match(codec, ServerPath, paints, [.. arrivals], measureFrom, rejected, resolution, sender);
        }
    }

    /// <summary>
    /// Lets the warm-up pass, then paints for the rest of the phase and lets the frames in flight
    /// come out. Returns the browser time the measurement began and what the sender did meanwhile.
    /// </summary>
    private async Task<(double MeasureFrom, SenderActivity Sender)> MeasureAsync(CounterPage page, TimeSpan duration)
    {
        await Task.Delay(WarmUp, time);
        var start = await page.SenderAsync();
        await Task.Delay(duration - WarmUp, time);
        var end = await page.SenderAsync();
        await page.StopPaintingAsync();
        await Task.Delay(Drain, time);
        return (start.AtMilliseconds, SenderActivity.Between(start, end));
    }

    private async Task<PhaseResult> MeasureBrowserAsync(CounterPage page, string codec, TimeSpan duration)
    {
        log.WriteLine($"  {codec}: {BrowserPath}, {duration.TotalSeconds:F0} s");
        await page.StartPaintingAsync();
        await page.LoopbackAsync(codec);
        var (measureFrom, sender) = await MeasureAsync(page, duration);
        var paints = await page.PaintsAsync();
        var (arrivals, rejected) = await page.LoopbackArrivalsAsync();
        var resolution = await page.LoopbackResolutionAsync();
        await page.CloseConnectionsAsync();
        return PhaseResult.Match(codec, BrowserPath, paints, arrivals, measureFrom, rejected, resolution, sender);
    }
}
