using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Streamer.Media.WebRtc;
using Streamer.Server.Chat;
using Streamer.Server.Speech;
using Streamer.Server.Tests.Infrastructure;
using Streamer.Server.WebRtc;
using Xunit.Abstractions;
using static Streamer.Server.Tests.Infrastructure.AudioProbe;
using static Streamer.Server.Tests.Infrastructure.Polling;

namespace Streamer.Server.Tests.Speech;

/// <summary>
/// Spoken answers end to end with the random model: Chromium publishes its camera and receives the
/// server's audio (sendrecv), a SignalR client asks, the page's WebAudio analyser hears the answer.
/// </summary>
[Trait("Category", "Browser")]
[Collection(BrowserCollection.Name)]
public sealed class SpokenAnswerChromiumTests(ITestOutputHelper output)
{
    private static readonly (string, string?)[] SmallServer =
    [
        // 320x240 frames shrink to a 4x3 patch grid: the vision encoder costs little on a shared CPU.
        ("Memory:MinPixels", "3136"),
        ("Memory:MaxPixels", "9408"),
        // The random talker speaks to its limit: 250 codes are 5 s of speech (2 mel frames of 240 samples each).
        ("Speech:MaxCodes", "250"),
    ];

    [Fact]
    public async Task Spoken_answer_starts_while_text_streams_is_heard_by_the_page_and_interrupt_silences_it()
    {
        using var clip = Y4mClip.Create(320, 240, 15, seconds: 2);
        var kvFolder = Directory.CreateTempSubdirectory("streamer-speech-kv-").FullName;
        // A long answer: the thinker writes 1500 tokens (seconds of text) while the talker follows it.
        await using var server = KestrelStreamer.Start([.. SmallServer, ("Memory:DiskFolder", kvFolder), ("Chat:MaxNewTokens", "1500")]);
        await using var chromium = await ChromiumPeer.LaunchAsync(clip.Path);
        var (session, sender) = await PublishAsync(server, chromium);
        Assert.Equal("ready", await SpeechStatusAsync(server));
        await using var connection = await ConnectAsync(server);
        var speechEnded = System.Threading.Channels.Channel.CreateUnbounded<SpeechEndedEvent>();
        connection.On<SpeechEndedEvent>("SpeechEnded", e => speechEnded.Writer.TryWrite(e));
        await WaitForMemoryAsync(connection, session.Id);

        // 1. A long answer: audio leaves while the text is still streaming, and the page hears it.
        var mark = await Probe<double>(chromium, "p.mark()");
        var packetsBefore = sender.Stats.PacketsSent;
        long? packetsWhenTextDone = null;
        double lastTextAt = 0;
        double? firstPacketAt = null;
        var clock = Stopwatch.StartNew();
        using var watch = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            while (!watch.IsCancellationRequested && firstPacketAt is null)
            {
                if (sender.Stats.PacketsSent > packetsBefore) firstPacketAt = clock.Elapsed.TotalMilliseconds;
                await Task.Delay(5);
            }
        });
        var chunks = new List<AnswerChunk>();
        await foreach (var chunk in connection.StreamAsync<AnswerChunk>("Ask", session.Id, "Tell me everything you saw."))
        {
            if (!chunk.Done && chunk.Text.Length > 0)
            {
                lastTextAt = clock.Elapsed.TotalMilliseconds;
                packetsWhenTextDone = sender.Stats.PacketsSent - packetsBefore;
            }
            chunks.Add(chunk);
        }
        var doneAt = clock.Elapsed.TotalMilliseconds;
        var metadata = chunks[^1].Metadata!;
        output.WriteLine($"speech '{metadata.Speech}' by {metadata.Speaker}: {metadata.AudioSeconds} s, first audio {metadata.FirstAudioMilliseconds} ms, first token {metadata.FirstTokenMilliseconds} ms, {metadata.Tokens} tokens; last text at {lastTextAt:F0} ms, done at {doneAt:F0} ms, first packet at {firstPacketAt:F0} ms, {packetsWhenTextDone} packets by the last text");
        // The text is done at once; the speech goes on and its end comes as an event.
        Assert.Equal("speaking", metadata.Speech);
        Assert.Equal(RandomVoice, metadata.Speaker);
        using (var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            var ended = await speechEnded.Reader.ReadAsync(patience.Token);
            output.WriteLine($"speech ended: '{ended.Speech}', {ended.AudioSeconds} s, first audio {ended.FirstAudioMilliseconds} ms");
            Assert.Equal(session.Id, ended.SessionId);
            Assert.Equal("spoken; stopped at the limit of 250 codes (Speech:MaxCodes, Speech:NoiseFrames)", ended.Speech);
            Assert.Equal(RandomVoice, ended.Speaker);
            Assert.Equal(5.0, ended.AudioSeconds);
            Assert.NotNull(ended.FirstAudioMilliseconds);
        }
        Assert.NotNull(firstPacketAt);
        // The talker runs behind the thinker: speech is on the wire before the text has finished.
        Assert.True(firstPacketAt < lastTextAt, $"first audio packet at {firstPacketAt:F0} ms, last text at {lastTextAt:F0} ms");
        Assert.True(packetsWhenTextDone > 0, "no audio was on the wire when the text finished");

        await WaitUntilAsync(async () => await Probe<double?>(chromium, "p.firstLoud") is not null, TimeSpan.FromSeconds(5), "the answer to be heard");
        var firstLoud = await Probe<double>(chromium, "p.firstLoud");
        // The page's clock and the test's start together at the mark; the path adds the sender's lead,
        // loopback, the jitter buffer and decoding.
        var heardAfterFirstPacket = firstLoud - mark - firstPacketAt!.Value;
        output.WriteLine($"heard {heardAfterFirstPacket:F0} ms after the first packet left; {sender.Stats.Underruns} underruns");
        Assert.InRange(heardAfterFirstPacket, -100, 800);
        await watch.CancelAsync();
        await watcher;

        // 2. Interrupt mid-speech: the page falls silent within one chunk beyond the path delay.
        await WaitUntilAsync(() => Task.FromResult(sender.Stats.QueuedInputSamples == 0 && Idle(sender)), TimeSpan.FromSeconds(15), "the first answer to finish playing");
        mark = await Probe<double>(chromium, "p.mark()");
        var interrupted = AskToListAsync(connection, session.Id, "And now?");
        await WaitUntilAsync(async () => await Probe<bool>(chromium, "p.rms > p.threshold"), TimeSpan.FromSeconds(10), "the second answer to be heard");
        var pathDelay = await Probe<double>(chromium, "p.firstLoud") - mark;
        await Task.Delay(300);
        var droppedBefore = sender.Stats.FramesDroppedOnInterrupt;
        var markInterrupt = await Probe<double>(chromium, "p.mark()");
        // Synthesis running at about real time (the thinker shares the cores) may leave nothing queued to drop.
        var queuedAtInterrupt = sender.Stats.QueuedInputSamples + sender.Stats.QueuedChunks;
        Assert.True(await connection.InvokeAsync<int>("Interrupt", session.Id) >= 0);
        var second = await interrupted;
        await Task.Delay(900);
        var lastLoud = await Probe<double?>(chromium, "p.lastLoud");
        var silentAfter = (lastLoud ?? markInterrupt) - markInterrupt;
        var chunkMs = 1000.0 * ChunkSamples(server) / 24000;
        output.WriteLine($"second answer: '{second[^1].Metadata!.Speech}', silent {silentAfter:F0} ms after the interrupt (one chunk {chunkMs:F0} ms), {sender.Stats.FramesDroppedOnInterrupt - droppedBefore} frames dropped");
        Assert.Equal(0, sender.Stats.QueuedInputSamples);
        Assert.InRange(silentAfter, 0, Math.Max(pathDelay, 0) + chunkMs + 200);
        Assert.True(queuedAtInterrupt == 0 || sender.Stats.FramesDroppedOnInterrupt > droppedBefore,
            $"the interrupt dropped none of the {queuedAtInterrupt} queued samples and chunks");

        // 3. The next answer starts clean and is heard again.
        while (speechEnded.Reader.TryRead(out var earlier)) output.WriteLine($"earlier speech: '{earlier.Speech}'");
        mark = await Probe<double>(chromium, "p.mark()");
        var third = await AskToListAsync(connection, session.Id, "One more time.");
        Assert.Equal("speaking", third[^1].Metadata!.Speech);
        using (var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            Assert.StartsWith("spoken", (await speechEnded.Reader.ReadAsync(patience.Token)).Speech);
        }
        await WaitUntilAsync(async () => await Probe<double?>(chromium, "p.firstLoud") is not null, TimeSpan.FromSeconds(5), "the third answer to be heard");
        output.WriteLine($"third answer heard {await Probe<double>(chromium, "p.firstLoud") - mark:F0} ms after it was asked");

        // 4. The session's stats report the audio track.
        using var http = server.Client(StreamerFactory.TokenA);
        var stats = await http.GetFromJsonAsync<JsonElement>($"/api/sessions/{session.Id}/stats");
        var audioOut = stats.GetProperty("audioOut");
        output.WriteLine(audioOut.ToString());
        Assert.True(audioOut.GetProperty("packetsSent").GetInt64() > 100);
        Assert.Equal(sender.Stats.FramesDroppedOnInterrupt, audioOut.GetProperty("framesDroppedOnInterrupt").GetInt64());
        Assert.Contains(stats.GetProperty("stages").EnumerateArray(), s => s.GetProperty("stage").GetString() == "speech-synthesis" && s.GetProperty("itemsOut").GetInt64() > 0);
        var metrics = await http.GetStringAsync("/metrics");
        Assert.Contains($"streamer_audio_out_packets{{session=\"{session.Id}\"}}", metrics);
        Directory.Delete(kvFolder, recursive: true);
    }

    [Fact]
    public async Task Without_token2wav_answers_are_text_only_and_say_so()
    {
        using var clip = Y4mClip.Create(320, 240, 15, seconds: 2);
        var noToken2Wav = Directory.CreateTempSubdirectory("streamer-no-token2wav-").FullName;
        var kvFolder = Directory.CreateTempSubdirectory("streamer-speech-kv-").FullName;
        // A checkpoint folder whose config.json has no token2wav_config (a thinker-only export).
        var thinkerOnly = new JsonObject
        {
            ["model_type"] = "qwen2_5_omni",
            ["thinker_config"] = JsonSerializer.SerializeToNode(Streamer.Server.Models.RandomThinker.Config().ThinkerConfig),
        };
        await File.WriteAllTextAsync(Path.Combine(noToken2Wav, "config.json"), thinkerOnly.ToJsonString());
        await using var server = KestrelStreamer.Start([.. SmallServer, ("Memory:DiskFolder", kvFolder), ("Models:Token2Wav:Path", noToken2Wav), ("Chat:MaxNewTokens", "300")]);
        await using var chromium = await ChromiumPeer.LaunchAsync(clip.Path);
        var (session, sender) = await PublishAsync(server, chromium);
        var status = await SpeechStatusAsync(server);
        output.WriteLine(status);
        Assert.StartsWith("unavailable:", status);
        Assert.Contains("no token2wav_config", status);
        await using var connection = await ConnectAsync(server);
        await WaitForMemoryAsync(connection, session.Id);

        var chunks = await AskToListAsync(connection, session.Id, "What do you see?");
        var metadata = chunks[^1].Metadata!;
        Assert.Equal(status, metadata.Speech);
        Assert.Contains("text only", metadata.Speech);
        Assert.Equal(300, metadata.Tokens);
        Assert.Equal(0, sender.Stats.PacketsSent);
        var refusal = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<string>("SetSpeaker", session.Id, "Chelsie"));
        Assert.Contains("text only", refusal.Message);
        Directory.Delete(noToken2Wav, recursive: true);
        Directory.Delete(kvFolder, recursive: true);
    }

    [Fact]
    public async Task SetSpeaker_accepts_a_known_voice_and_lists_the_voices_for_an_unknown_one()
    {
        using var clip = Y4mClip.Create(320, 240, 15, seconds: 1);
        await using var server = KestrelStreamer.Start(SmallServer);
        await using var chromium = await ChromiumPeer.LaunchAsync(clip.Path);
        var (session, _) = await PublishAsync(server, chromium);
        Assert.Equal("ready", await SpeechStatusAsync(server));
        await using var connection = await ConnectAsync(server);

        var error = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<string>("SetSpeaker", session.Id, "Ethan"));
        Assert.Contains($"Unknown speaker 'Ethan'; available: {RandomVoice}", error.Message);
        Assert.Null(session.Speaker);
        Assert.Equal(RandomVoice, await connection.InvokeAsync<string>("SetSpeaker", session.Id, RandomVoice));
        Assert.Equal(RandomVoice, session.Speaker);
    }

    private const string RandomVoice = Streamer.Server.Models.RandomSpeech.SpeakerName;

    private static bool Idle(AudioSender sender) => sender.Stats.QueuedChunks == 0;

    private static int ChunkSamples(KestrelStreamer server) => server.Services.GetRequiredService<SpeechHost>().Current!.ChunkSamples;

    private static async Task<string> SpeechStatusAsync(KestrelStreamer server)
    {
        var host = server.Services.GetRequiredService<SpeechHost>();
        await host.Loaded.WaitAsync(TimeSpan.FromSeconds(60));
        return host.Status;
    }

    private static async Task<(WebRtcSession Session, AudioSender Sender)> PublishAsync(KestrelStreamer server, ChromiumPeer chromium)
    {
        var (session, sender) = await PublishListeningAsync(server, chromium);
        // The random voice is quieter than a test tone; Opus silence and comfort noise stay far below this.
        await Probe<double>(chromium, "p.threshold = 0.003");
        return (session, sender);
    }

    private static async Task<HubConnection> ConnectAsync(KestrelStreamer server)
    {
        var connection = new HubConnectionBuilder().WithUrl(new Uri(server.BaseAddress, "/hubs/chat"),
            o => o.AccessTokenProvider = () => Task.FromResult<string?>(StreamerFactory.TokenA)).Build();
        await connection.StartAsync();
        return connection;
    }

    private static async Task WaitForMemoryAsync(HubConnection connection, string sessionId)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var stats = await connection.InvokeAsync<SessionEvent>("Join", sessionId);
            if (stats.Blocks >= 1) return;
            if (stats.MemoryError is not null) throw new InvalidOperationException("memory stage failed: " + stats.MemoryError);
            if (clock.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException("no memory blocks in 60 s: " + JsonSerializer.Serialize(stats));
            await Task.Delay(200);
        }
    }

    private static async Task<List<AnswerChunk>> AskToListAsync(HubConnection connection, string sessionId, string question)
    {
        var chunks = new List<AnswerChunk>();
        await foreach (var chunk in connection.StreamAsync<AnswerChunk>("Ask", sessionId, question)) chunks.Add(chunk);
        return chunks;
    }
}
