using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Streamer.Media.WebRtc;
using Streamer.Server.Models;
using Streamer.Server.Speech;
using Streamer.Server.Tests.Infrastructure;
using Streamer.Server.WebRtc;
using Xunit.Abstractions;

namespace Streamer.Server.Tests.Client;

/// <summary>
/// Spoken answers on the real client page in headless Chromium: the page publishes, picks a voice,
/// asks through its chat form and plays the answer on its own <c>#answer-audio</c> element, whose
/// stream a WebAudio analyser measures; the answer's meta line goes from speaking to spoken when
/// SpeechEnded arrives, and the page's Interrupt silences it.
/// </summary>
[Trait("Category", "Browser")]
[Collection(BrowserCollection.Name)]
public sealed class SpeakingPageChromiumTests(ITestOutputHelper output) : IDisposable
{
    // A short text and a longer speech: the answer's text is done while it is still being spoken
    // (the talker follows the thinker token by token, then speaks on to its limit).
    private const int MaxNewTokens = 300;
    // The random talker speaks to its limit: 250 codes are 5 s of speech.
    private const int MaxCodes = 250;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _kvFolder = Path.Combine(Path.GetTempPath(), "streamer-speaking-page-" + Guid.NewGuid().ToString("N"));

    private static PageWaitForFunctionOptions Wait => new() { Timeout = (float)Patience.TotalMilliseconds, PollingInterval = 20 };

    /// <summary>
    /// Measures what the page's own answer element plays: RMS of the newest 10 ms every 5 ms, when
    /// it was first and last loud after a mark. Chromium feeds a remote track to WebAudio only while
    /// a media element plays it, so silence here also means the page's element is not playing.
    /// </summary>
    private const string ListenToAnswerAudio = """
        () => {
          const element = document.querySelector('#answer-audio');
          const stream = element.srcObject;
          if (!(stream instanceof MediaStream) || stream.getAudioTracks().length === 0) return 'no audio stream on #answer-audio';
          // The random voice is quieter than a test tone; Opus silence and the quiet room stay far below this.
          const p = { threshold: 0.003, markAt: 0, firstLoud: null, lastLoud: null, rms: 0 };
          p.mark = () => { p.markAt = performance.now(); p.firstLoud = null; p.lastLoud = null; return p.markAt; };
          const context = new AudioContext();
          context.resume();
          const analyser = context.createAnalyser();
          analyser.fftSize = 2048;
          analyser.smoothingTimeConstant = 0;
          context.createMediaStreamSource(stream).connect(analyser);
          const time = new Float32Array(analyser.fftSize);
          const span = Math.round(context.sampleRate / 100);
          setInterval(() => {
            analyser.getFloatTimeDomainData(time);
            let sum = 0;
            for (let i = time.length - span; i < time.length; i++) sum += time[i] * time[i];
            p.rms = Math.sqrt(sum / span);
            if (p.rms <= p.threshold) return;
            const now = performance.now();
            if (p.firstLoud === null) p.firstLoud = now;
            p.lastLoud = now;
          }, 5);
          window.__answerAudio = p;
          return 'listening';
        }
        """;

    // Records, on the page's clock, every change of each answer's state and speech line and when its text first appeared.
    private const string WatchAnswers = """
        () => {
          window.__answers = [];
          const last = new Map();
          const record = () => {
            document.querySelectorAll('#messages li[data-kind=answer]').forEach((li, index) => {
              const line = li.querySelector('.answer-speech');
              const state = { index, state: li.dataset.state, speech: line?.dataset.speech ?? '', text: li.querySelector('.answer-text').textContent.length > 0, line: line?.textContent ?? '' };
              const key = JSON.stringify(state);
              if (last.get(index) === key) return;
              last.set(index, key);
              window.__answers.push({ ...state, interruptEnabled: !document.querySelector('#interrupt').disabled, at: performance.now() });
            });
          };
          new MutationObserver(record).observe(document.querySelector('#messages'), { subtree: true, childList: true, characterData: true, attributes: true });
        }
        """;

    // Keeps the page's peer connections reachable, to read how long the received audio waits in the jitter buffer.
    private const string KeepPeers = """
        (() => {
          const Native = window.RTCPeerConnection;
          window.__peers = [];
          window.RTCPeerConnection = class extends Native { constructor(...args) { super(...args); window.__peers.push(this); } };
        })()
        """;

    // Seconds the received audio spent in the jitter buffer and samples emitted, summed (inbound-rtp).
    private const string JitterBuffer = """
        async () => {
          let delay = 0, count = 0;
          for (const pc of window.__peers) (await pc.getStats()).forEach(r => {
            if (r.type === 'inbound-rtp' && r.kind === 'audio') { delay += r.jitterBufferDelay ?? 0; count += r.jitterBufferEmittedCount ?? 0; }
          });
          return [delay, count];
        }
        """;

    private sealed record AnswerChange(int Index, string State, string Speech, bool Text, string Line, bool InterruptEnabled, double At);

    [Fact]
    public async Task Page_plays_the_spoken_answer_shows_speaking_then_spoken_and_Interrupt_silences_it()
    {
        var dist = BuiltClient.EnsureBuilt();
        using var clip = Y4mClip.Create(320, 240, 15, seconds: 2);
        await using var server = KestrelStreamer.Start(
            ("Client:Path", dist),
            ("Chat:MaxNewTokens", MaxNewTokens.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Chat:EventIntervalSeconds", "0.5"),
            // 320x240 frames shrink to a 4x3 patch grid: the vision encoder costs little on a shared CPU.
            ("Memory:MinPixels", "3136"),
            ("Memory:MaxPixels", "9408"),
            ("Memory:DiskFolder", _kvFolder),
            ("Speech:MaxCodes", MaxCodes.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await using var chromium = await ChromiumPeer.LaunchAsync(clip.Path);
        var page = chromium.Page;

        // Publish through the page's own buttons (camera and microphone, audio sendrecv).
        await page.AddInitScriptAsync(KeepPeers);
        await page.GotoAsync(server.BaseAddress.ToString());
        await page.FillAsync("#token", StreamerFactory.TokenA);
        await page.ClickAsync("#publish");
        await page.WaitForFunctionAsync("() => /^[0-9a-f]{24}$/.test(document.querySelector('#session-id').textContent)", null, Wait);
        var id = await page.TextContentAsync("#session-id") ?? "";
        var session = (WebRtcSession)server.Sessions.All.Single(s => s.Id == id);
        var sender = session.Peer.AudioSender ?? throw new InvalidOperationException("the server's answer does not send audio");
        Assert.Equal("listening", await page.EvaluateAsync<string>(ListenToAnswerAudio));
        Assert.False(await page.EvalOnSelectorAsync<bool>("#answer-audio", "e => e.paused"));

        // The speaker toggle mutes the page's element and turns it back on.
        Assert.Equal("true", await page.GetAttributeAsync("#speaker", "aria-pressed"));
        await page.ClickAsync("#speaker");
        Assert.True(await page.EvalOnSelectorAsync<bool>("#answer-audio", "e => e.muted"));
        Assert.Equal("false", await page.GetAttributeAsync("#speaker", "aria-pressed"));
        await page.ClickAsync("#speaker");
        Assert.False(await page.EvalOnSelectorAsync<bool>("#answer-audio", "e => e.muted"));

        // The voice picker lists the server's voices (GET /api/speech, asked again while speech loads) and sets the session's.
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#voice option').length > 0 && !document.querySelector('#voice').disabled", null, Wait);
        Assert.Equal([RandomSpeech.SpeakerName], await page.EvalOnSelectorAllAsync<string[]>("#voice option", "options => options.map(o => o.value)"));
        Assert.Null(session.Speaker);
        await page.SelectOptionAsync("#voice", RandomSpeech.SpeakerName);
        await page.WaitForSelectorAsync($"#voice[data-speaker={RandomSpeech.SpeakerName}]", new() { Timeout = (float)Patience.TotalMilliseconds });
        Assert.Equal(RandomSpeech.SpeakerName, session.Speaker);

        // Questions are refused until frames are in memory.
        await page.WaitForFunctionAsync("() => parseInt(document.querySelector('#memory-tiers tr[data-tier=host]')?.dataset.blocks ?? '0') >= 1", null, Wait);
        await page.EvaluateAsync(WatchAnswers);

        // 1. Ask through the chat form: the page hears the answer while its text streams; speaking, then spoken.
        var packetsBefore = sender.Stats.PacketsSent;
        var mark = await page.EvaluateAsync<double>("() => window.__answerAudio.mark()");
        var clock = Stopwatch.StartNew();
        double? firstPacketAt = null;
        using var watch = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            while (!watch.IsCancellationRequested && firstPacketAt is null)
            {
                if (sender.Stats.PacketsSent > packetsBefore) firstPacketAt = clock.Elapsed.TotalMilliseconds;
                await Task.Delay(5);
            }
        });
        await page.Locator("#question").PressSequentiallyAsync("Tell me everything you saw.");
        await page.ClickAsync("#ask");
        await page.WaitForSelectorAsync("#messages li[data-kind=answer] .answer-speech[data-speech=spoken]", new() { Timeout = (float)Patience.TotalMilliseconds });
        await watch.CancelAsync();
        await watcher;
        var first = Changes(await Answers(page), 0);
        foreach (var change in first) output.WriteLine($"answer 1 at {change.At - mark:F0} ms: {change.State} '{change.Speech}' {change.Line} (interrupt {(change.InterruptEnabled ? "on" : "off")})");
        var firstLoud = await page.EvaluateAsync<double?>("() => window.__answerAudio.firstLoud");
        Assert.NotNull(firstLoud);
        Assert.NotNull(firstPacketAt);
        var textStarted = first.First(c => c.Text).At;
        var textDone = first.First(c => c.State == "done").At;
        var speaking = Assert.Single(first, c => c.Speech == "speaking");
        var spoken = Assert.Single(first, c => c.Speech == "spoken");
        var heardAfterFirstPacket = firstLoud.Value - mark - firstPacketAt.Value;
        output.WriteLine($"text from {textStarted - mark:F0} to {textDone - mark:F0} ms, first packet {firstPacketAt:F0} ms, heard {firstLoud - mark:F0} ms ({heardAfterFirstPacket:F0} ms after the first packet), spoken at {spoken.At - mark:F0} ms");
        // Heard once the answer streams, as soon as its first packet crossed the path.
        Assert.True(firstLoud.Value > textStarted, "audio was heard before the answer's text started");
        Assert.InRange(heardAfterFirstPacket, -100, 800);
        // The meta line said speaking when the text was done, and Interrupt stayed on for the speech.
        Assert.True(speaking.At <= spoken.At);
        Assert.Equal("done", speaking.State);
        Assert.True(speaking.InterruptEnabled, "Interrupt was off while the answer was speaking");
        Assert.Equal($"speaking ({RandomSpeech.SpeakerName})…", speaking.Line);
        Assert.Equal($"spoken ({RandomSpeech.SpeakerName}), 5.0 s; stopped at the limit of {MaxCodes} codes (Speech:MaxCodes, Speech:NoiseFrames)", spoken.Line);
        Assert.Equal("length", await page.GetAttributeAsync("#messages li[data-kind=answer]", "data-finish"));

        // 2. Interrupt while the second answer is heard after its text is done (Interrupt is on only for the
        // speech then): the page falls silent within one chunk beyond the path delay.
        await WaitUntilAsync(() => Task.FromResult(sender.Stats.QueuedInputSamples == 0 && sender.Stats.QueuedChunks == 0), "the first answer to finish playing");
        // Half a second of silence on the page: what is heard next is the second answer.
        await page.EvaluateAsync("() => window.__answerAudio.mark()");
        await page.WaitForFunctionAsync("""
            () => { const p = window.__answerAudio, now = performance.now();
                    return now - p.markAt > 500 && (p.lastLoud === null || now - p.lastLoud > 500); }
            """, null, Wait);
        var asked = await page.EvaluateAsync<double>("() => window.__answerAudio.mark()");
        await page.Locator("#question").PressSequentiallyAsync("And now?");
        await page.ClickAsync("#ask");
        await page.WaitForFunctionAsync("() => window.__answerAudio.firstLoud !== null", null, Wait);
        var heardSecond = await page.EvaluateAsync<double>("() => window.__answerAudio.firstLoud");
        var jitterAtHeard = await page.EvaluateAsync<double[]>(JitterBuffer);
        await page.WaitForSelectorAsync("#messages li[data-kind=answer]:nth-of-type(4)[data-state=done] .answer-speech[data-speech=speaking]", new() { Timeout = (float)Patience.TotalMilliseconds });
        Assert.Equal("length", await page.Locator("#messages li[data-kind=answer]").Nth(1).GetAttributeAsync("data-finish"));
        Assert.True(await page.IsEnabledAsync("#interrupt"), "Interrupt is off while the answer speaks");
        await page.WaitForFunctionAsync("() => window.__answerAudio.rms > window.__answerAudio.threshold", null, Wait);
        var droppedBefore = sender.Stats.FramesDroppedOnInterrupt;
        var interruptsBefore = sender.Stats.Interrupts;
        // Under load the receiver's jitter buffer grows: this part of the path is measured over the speech so far.
        var jitterNow = await page.EvaluateAsync<double[]>(JitterBuffer);
        var jitterMs = 1000 * (jitterNow[0] - jitterAtHeard[0]) / Math.Max(1, jitterNow[1] - jitterAtHeard[1]);
        var interruptAt = await page.EvaluateAsync<double>("() => window.__answerAudio.mark()");
        // The page's clock and this one start together at the mark: how long the click took to reach the audio sender.
        clock.Restart();
        double? reachedAt = null;
        var reached = Task.Run(async () =>
        {
            while (reachedAt is null && clock.Elapsed < Patience)
            {
                if (sender.Stats.Interrupts > interruptsBefore) reachedAt = clock.Elapsed.TotalMilliseconds;
                await Task.Delay(2);
            }
        });
        await page.ClickAsync("#interrupt");
        await page.WaitForSelectorAsync("#messages li[data-kind=answer]:nth-of-type(4) .answer-speech[data-speech=interrupted]", new() { Timeout = (float)Patience.TotalMilliseconds });
        await reached;
        Assert.NotNull(reachedAt);
        await Task.Delay(900);
        var lastLoud = await page.EvaluateAsync<double?>("() => window.__answerAudio.lastLoud");
        var silentAfter = (lastLoud ?? interruptAt) - interruptAt;
        var chunkMs = 1000.0 * server.Services.GetRequiredService<SpeechHost>().Current!.ChunkSamples / 24000;
        var second = Changes(await Answers(page), 1);
        foreach (var change in second) output.WriteLine($"answer 2 at {change.At - interruptAt:F0} ms after the interrupt: {change.State} '{change.Speech}' {change.Line}");
        output.WriteLine($"second answer heard {heardSecond - asked:F0} ms after it was asked");
        // What was heard is the second answer's speech: it came after its text had started.
        Assert.True(second.First(c => c.Text).At < heardSecond, "the page heard audio before the second answer's text started");
        output.WriteLine($"silent {silentAfter:F0} ms after the click, {silentAfter - reachedAt:F0} ms after the interrupt reached the sender {reachedAt:F0} ms after the click (one chunk {chunkMs:F0} ms, path {heardAfterFirstPacket:F0} ms, jitter buffer {jitterMs:F0} ms), {sender.Stats.FramesDroppedOnInterrupt - droppedBefore} frames dropped");
        // Within one chunk plus the path delay both ways (the click to the server, the audio back to the page).
        Assert.InRange(silentAfter, 0, reachedAt.Value + chunkMs + Math.Max(Math.Max(heardAfterFirstPacket, jitterMs), 0) + 200);
        Assert.Equal(0, sender.Stats.QueuedInputSamples);
        // The line ends with SpeechEnded's figures: some audio went out before the interrupt.
        var interruptedLine = second[^1].Line;
        Assert.StartsWith($"speech interrupted ({RandomSpeech.SpeakerName}) after ", interruptedLine);
        Assert.NotEqual($"speech interrupted ({RandomSpeech.SpeakerName}) after 0.0 s", interruptedLine);
        // Nothing is left to stop: the button goes off, the question box is back.
        await page.WaitForFunctionAsync("() => document.querySelector('#interrupt').disabled && !document.querySelector('#ask').disabled", null, Wait);
        Assert.Equal(0, await page.Locator("#messages li[data-kind=error]").CountAsync());
    }

    private static async Task<AnswerChange[]> Answers(IPage page) =>
        JsonSerializer.Deserialize<AnswerChange[]>(await page.EvaluateAsync<JsonElement>("() => window.__answers"), JsonSerializerOptions.Web)!;

    private static AnswerChange[] Changes(AnswerChange[] all, int index) => all.Where(c => c.Index == index).ToArray();

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > Patience) throw new TimeoutException($"waited {Patience.TotalSeconds:0} s for {what}");
            await Task.Delay(20);
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_kvFolder)) Directory.Delete(_kvFolder, recursive: true);
    }
}
