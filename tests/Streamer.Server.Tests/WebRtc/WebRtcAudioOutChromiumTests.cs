using Streamer.Media.WebRtc;
using Streamer.Server.Tests.Infrastructure;
using Xunit.Abstractions;
using static Streamer.Server.Tests.Infrastructure.AudioProbe;
using static Streamer.Server.Tests.Infrastructure.Polling;

namespace Streamer.Server.Tests.WebRtc;

[Trait("Category", "Browser")]
[Collection(BrowserCollection.Name)]
public sealed class WebRtcAudioOutChromiumTests(ITestOutputHelper output)
{
    private const int InputRate = 24000;

    [Fact]
    public async Task Chromium_plays_the_servers_tone_and_interrupt_silences_it_within_one_chunk()
    {
        using var clip = Y4mClip.Create(320, 240, 15, seconds: 2);
        await using var server = KestrelStreamer.Start();
        await using var chromium = await ChromiumPeer.LaunchAsync(clip.Path);

        var (session, sender) = await PublishListeningAsync(server, chromium);
        var peer = session.Peer;

        // First answer: 1.5 s of 440 Hz.
        var markFirst = await Probe<double>(chromium, "p.mark()");
        await EnqueueAsync(sender, Tone(440, seconds: 1.5), endOfAnswer: true);
        await WaitUntilAsync(async () => await Probe<bool>(chromium, "p.dominantHz !== null"), TimeSpan.FromSeconds(3), "the tone to be heard");
        var firstLoud = await Probe<double>(chromium, "p.firstLoud");
        var firstHz = await Probe<double>(chromium, "p.dominantHz");
        output.WriteLine($"first tone heard {firstLoud - markFirst:F0} ms after it was queued, dominant {firstHz:F1} Hz");
        Assert.InRange(firstLoud - markFirst, 0, 1000);
        Assert.InRange(firstHz, 425, 455);

        // Interrupt mid-tone: the page must fall silent within about one chunk.
        await Task.Delay(300);
        Assert.True(await Probe<bool>(chromium, "p.rms > p.threshold"), "the tone stopped before the interrupt");
        var markInterrupt = await Probe<double>(chromium, "p.mark()");
        sender.Interrupt();
        await Task.Delay(700);
        var lastLoud = await Probe<double?>(chromium, "p.lastLoud");
        var silentAfter = (lastLoud ?? markInterrupt) - markInterrupt;
        output.WriteLine($"silent {silentAfter:F0} ms after the interrupt; {sender.Stats.FramesDroppedOnInterrupt} frames dropped");
        // What was already on its way (the queue-to-ear delay just measured: lead, network,
        // jitter buffer) still plays; beyond it the page must be silent within one 200 ms chunk.
        var pathDelay = firstLoud - markFirst;
        Assert.InRange(silentAfter, 0, pathDelay + 200);
        Assert.InRange(silentAfter, 0, 600);
        Assert.True(sender.Stats.FramesDroppedOnInterrupt >= 20, $"only {sender.Stats.FramesDroppedOnInterrupt} frames dropped");

        // The next answer plays clean: its own pitch, nothing left of the first.
        var markSecond = await Probe<double>(chromium, "p.mark()");
        await EnqueueAsync(sender, Tone(660, seconds: 1.0), endOfAnswer: true);
        await WaitUntilAsync(async () => await Probe<bool>(chromium, "p.dominantHz !== null"), TimeSpan.FromSeconds(3), "the second tone to be heard");
        var secondLoud = await Probe<double>(chromium, "p.firstLoud");
        var secondHz = await Probe<double>(chromium, "p.dominantHz");
        output.WriteLine($"second tone heard {secondLoud - markSecond:F0} ms after it was queued, dominant {secondHz:F1} Hz");
        Assert.InRange(secondLoud - markSecond, 0, 1000);
        Assert.InRange(secondHz, 640, 680);

        await Task.Delay(1500);
        output.WriteLine($"sender: {sender.Stats.PacketsSent} packets, {sender.Stats.BytesSent} bytes; peer: {peer.Stats.RtpSent} RTP, {peer.Stats.RtcpSent} RTCP sent");
        Assert.Equal(sender.Stats.PacketsSent, peer.Stats.RtpSent);
        Assert.True(peer.Stats.RtcpSent > 0, "no sender report went out");
        Assert.False(await Probe<bool>(chromium, "p.rms > p.threshold"), "audio still playing after both answers ended");
    }

    private static float[] Tone(double frequency, double seconds)
    {
        var samples = new float[(int)(seconds * InputRate)];
        for (var i = 0; i < samples.Length; i++) samples[i] = (float)(0.3 * Math.Sin(2 * Math.PI * frequency * i / InputRate));
        return samples;
    }

    /// <summary>Queues like Token2Wav does: chunks of 200 ms.</summary>
    private static async Task EnqueueAsync(AudioSender sender, float[] pcm, bool endOfAnswer)
    {
        const int Chunk = InputRate / 5;
        for (var offset = 0; offset < pcm.Length; offset += Chunk)
        {
            var length = Math.Min(Chunk, pcm.Length - offset);
            await sender.EnqueueAsync(pcm.AsMemory(offset, length), endOfAnswer && offset + length == pcm.Length);
        }
    }
}
