using System.Buffers.Binary;
using System.Diagnostics;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Streamer.Server.Chat;
using Streamer.Server.Models;
using Streamer.Server.Speech;
using Streamer.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Streamer.Server.Tests.Speech;

/// <summary>The hub's <c>Listen</c>: spoken answers of an RTSP session (no WebRTC audio track) as PCM chunks over SignalR.</summary>
[Trait("Category", "Chat")]
public sealed class ListenTests(ListenServer server, ITestOutputHelper output) : IClassFixture<ListenServer>
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Listen_then_ask_streams_the_spoken_answer_as_pcm_with_energy_ending_with_isLast(bool messagePack)
    {
        await using var connection = await server.ConnectAsync(StreamerFactory.TokenA, messagePack);
        var ended = new TaskCompletionSource<SpeechEndedEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.On<SpeechEndedEvent>("SpeechEnded", e => ended.TrySetResult(e));
        await connection.InvokeAsync<SessionEvent>("Join", server.SessionId);
        await using var listener = await StartListeningAsync(connection, server.SessionId);

        var answer = await AskAsync(connection, server.SessionId);
        var metadata = answer[^1].Metadata!;
        var speechId = Assert.IsType<long>(metadata.SpeechId);
        var chunks = await listener.UntilLastAsync(speechId, TimeSpan.FromSeconds(60));
        var speech = await ended.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("speaking", metadata.Speech);
        Assert.Equal(RandomSpeech.SpeakerName, metadata.Speaker);
        Assert.All(chunks, c =>
        {
            Assert.Equal(speechId, c.SpeechId);
            Assert.Equal(24000, c.SampleRate);
            Assert.Equal(0, c.Samples.Length % 2);
            Assert.Equal(0, c.Dropped);
            Assert.False(c.Interrupted);
        });
        Assert.Equal([.. Enumerable.Repeat(false, chunks.Count - 1), true], chunks.Select(c => c.IsLast));
        var pcm = chunks.SelectMany(c => Pcm(c.Samples)).ToArray();
        var rms = Math.Sqrt(pcm.Average(s => (double)s * s)) / 32768;
        output.WriteLine($"{chunks.Count} chunks, {pcm.Length} samples, rms {rms:0.0000}, speech {speech.Speech}, {speech.AudioSeconds} s");
        Assert.True(rms > 0.01, $"rms {rms}: silence");
        // Every sample the synthesis produced reached the listener, exactly as SpeechEnded counts them.
        Assert.Equal(speechId, speech.SpeechId);
        Assert.Equal(speech.AudioSeconds, Math.Round(pcm.Length / 24000.0, 3));
        Assert.StartsWith("spoken", speech.Speech);
    }

    [Fact]
    public async Task Answer_without_listener_on_an_rtsp_session_stays_text_only()
    {
        await using var connection = await server.ConnectAsync(StreamerFactory.TokenA, messagePack: false);

        var answer = await AskAsync(connection, server.SessionId);

        Assert.Equal("no audio track", answer[^1].Metadata!.Speech);
        Assert.Null(answer[^1].Metadata!.SpeechId);
    }

    [Fact]
    public async Task Interrupt_stops_the_chunks_within_one_chunk_and_the_next_answer_starts_clean()
    {
        await using var connection = await server.ConnectAsync(StreamerFactory.TokenA, messagePack: true);
        var ended = new List<SpeechEndedEvent>();
        connection.On<SpeechEndedEvent>("SpeechEnded", e =>
        {
            lock (ended) ended.Add(e);
        });
        await connection.InvokeAsync<SessionEvent>("Join", server.SessionId);
        await using var listener = await StartListeningAsync(connection, server.SessionId);
        var asking = AskAsync(connection, server.SessionId);
        var first = await listener.WaitForAsync(c => c.Samples.Length > 0, TimeSpan.FromSeconds(60));

        // The text may be done already (0 answers stopped); the speech goes on until this.
        await connection.InvokeAsync<int>("Interrupt", server.SessionId);
        var interruptedAt = listener.Now;
        var marker = await listener.WaitForAsync(c => c.SpeechId == first.SpeechId && c.IsLast, TimeSpan.FromSeconds(10));
        var firstAnswer = await asking;
        var next = await AskAsync(connection, server.SessionId);
        var nextId = Assert.IsType<long>(next[^1].Metadata!.SpeechId);
        var nextChunks = await listener.UntilLastAsync(nextId, TimeSpan.FromSeconds(60));

        Assert.True(marker.Interrupted);
        Assert.Empty(marker.Samples);
        Assert.Equal(first.SpeechId, firstAnswer[^1].Metadata!.SpeechId);
        await Polling.WaitUntilAsync(() => Task.FromResult(SpeechOf(ended, first.SpeechId) is not null), TimeSpan.FromSeconds(10), "SpeechEnded of the interrupted answer");
        Assert.Equal("interrupted", SpeechOf(ended, first.SpeechId));
        var late = listener.Received.Where(r => r.Chunk.SpeechId == first.SpeechId && r.At > interruptedAt && r.Chunk.Samples.Length > 0).ToList();
        Assert.True(late.Count <= 1, $"{late.Count} audio chunks arrived after the interrupt returned");
        // Nothing of the interrupted answer follows its marker, and the next answer is whole.
        var all = listener.Received.Select(r => r.Chunk).ToList();
        Assert.DoesNotContain(all.SkipWhile(c => c != marker).Skip(1), c => c.SpeechId == first.SpeechId);
        Assert.True(nextId > first.SpeechId);
        Assert.All(nextChunks, c => Assert.False(c.Interrupted));
        Assert.All(nextChunks, c => Assert.Equal(0, c.Dropped));
        Assert.True(nextChunks[0].Samples.Length > 0);
        Assert.Equal("speaking", next[^1].Metadata!.Speech);
    }

    [Fact]
    public async Task Another_token_cannot_listen()
    {
        await using var other = await server.ConnectAsync(StreamerFactory.TokenB, messagePack: false);

        var ex = await Assert.ThrowsAsync<HubException>(async () =>
        {
            await foreach (var _ in other.StreamAsync<SpeechAudioChunk>("Listen", server.SessionId)) { }
        });

        Assert.Contains($"No session '{server.SessionId}' for this token.", ex.Message);
    }

    [Fact]
    public async Task Listeners_beyond_the_limit_are_refused_naming_the_setting()
    {
        var registry = server.Server.Services.GetRequiredService<SpeechListeners>();
        // Listeners of earlier tests leave once the server has seen their streams cancelled.
        await Polling.WaitUntilAsync(() => Task.FromResult(registry.Find(server.SessionId) is not { Count: > 0 }), TimeSpan.FromSeconds(10), "earlier listeners to leave");
        await using var connection = await server.ConnectAsync(StreamerFactory.TokenA, messagePack: false);
        var listeners = new List<ChunkRecorder>();
        try
        {
            for (var i = 0; i < ListenServer.MaxListenersPerSession; i++) listeners.Add(await StartListeningAsync(connection, server.SessionId, listeners: i + 1));

            var ex = await Assert.ThrowsAsync<HubException>(async () =>
            {
                await foreach (var _ in connection.StreamAsync<SpeechAudioChunk>("Listen", server.SessionId)) { }
            });

            Assert.Contains($"{ListenServer.MaxListenersPerSession} listener(s)", ex.Message);
            Assert.Contains("Speech:MaxListenersPerSession", ex.Message);
        }
        finally
        {
            foreach (var listener in listeners) await listener.DisposeAsync();
        }
    }

    [Fact]
    public async Task Listen_ends_when_the_session_ends()
    {
        var sessionId = await server.CreateRtspSessionAsync();
        await using var connection = await server.ConnectAsync(StreamerFactory.TokenA, messagePack: true);
        await using var listener = await StartListeningAsync(connection, sessionId);

        using (var client = server.Server.Client(StreamerFactory.TokenA))
            Assert.Equal(System.Net.HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/sessions/{sessionId}")).StatusCode);

        await listener.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Null(listener.Failure);
        Assert.Empty(listener.Received);
        Assert.Null(server.Server.Services.GetRequiredService<SpeechListeners>().Find(sessionId));
    }

    [Fact]
    public async Task Slow_listener_drops_its_oldest_chunks_counted_without_holding_back_another_listener_or_the_text()
    {
        await using var connection = await server.ConnectAsync(StreamerFactory.TokenA, messagePack: false);
        await using var slow = await LongPollingListener.StartAsync(server.Server.Client(StreamerFactory.TokenA), server.SessionId);
        await using var fast = await StartListeningAsync(connection, server.SessionId, listeners: 2);

        var clock = Stopwatch.StartNew();
        var answer = await AskAsync(connection, server.SessionId);
        var textSeconds = clock.Elapsed.TotalSeconds;
        var speechId = Assert.IsType<long>(answer[^1].Metadata!.SpeechId);
        var fastChunks = await fast.UntilLastAsync(speechId, TimeSpan.FromSeconds(60));
        var fastSeconds = clock.Elapsed.TotalSeconds;
        var slowChunks = (await slow.DrainAsync(speechId, TimeSpan.FromSeconds(30))).Where(c => c.SpeechId == speechId).ToList();

        var dropped = slowChunks.Sum(c => c.Dropped);
        output.WriteLine($"text {textSeconds:0.0} s, fast listener done {fastSeconds:0.0} s with {fastChunks.Count} chunks; slow got {slowChunks.Count}, dropped {dropped}");
        Assert.Equal("length", answer[^1].Metadata!.FinishReason);
        Assert.All(fastChunks, c => Assert.Equal(0, c.Dropped));
        Assert.True(dropped > 0, "the slow listener dropped nothing: its queue never filled");
        // Every chunk is either delivered or counted, the newest ones survive, and the audio is the fast listener's.
        Assert.Equal(fastChunks.Count, slowChunks.Count + dropped);
        Assert.True(slowChunks[^1].IsLast);
        Assert.Equal(fastChunks[^1].Samples, slowChunks[^1].Samples);
        Assert.Equal(fastChunks[0].Samples, slowChunks[0].Samples);
    }

    private async Task<ChunkRecorder> StartListeningAsync(HubConnection connection, string sessionId, int listeners = 1)
    {
        var recorder = new ChunkRecorder(connection, sessionId);
        // Listen is registered once the server has read the invocation; an answer begun before would not be spoken.
        var registry = server.Server.Services.GetRequiredService<SpeechListeners>();
        await Polling.WaitUntilAsync(() => Task.FromResult(registry.Find(sessionId)?.Count >= listeners || recorder.Failure is not null),
            TimeSpan.FromSeconds(10), "the listener to be registered");
        if (recorder.Failure is { } failure) throw failure;
        return recorder;
    }

    private static async Task<List<AnswerChunk>> AskAsync(HubConnection connection, string sessionId)
    {
        var chunks = new List<AnswerChunk>();
        await foreach (var chunk in connection.StreamAsync<AnswerChunk>("Ask", sessionId, "What do you see?")) chunks.Add(chunk);
        return chunks;
    }

    private static string? SpeechOf(List<SpeechEndedEvent> ended, long speechId)
    {
        lock (ended) return ended.FirstOrDefault(e => e.SpeechId == speechId)?.Speech;
    }

    private static IEnumerable<short> Pcm(byte[] bytes)
    {
        for (var i = 0; i + 1 < bytes.Length; i += 2) yield return BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(i));
    }
}
