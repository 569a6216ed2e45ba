using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Streamer.Media.Tests.Rtsp;
using Streamer.Server.Chat;
using Streamer.Server.Models;
using Streamer.Server.Pipeline;
using Streamer.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Streamer.Server.Tests.Chat;

[Trait("Category", "Chat")]
public sealed class ChatHubTests(ChatServer server, ITestOutputHelper output) : IClassFixture<ChatServer>
{
    private static async Task<List<AnswerChunk>> AskAsync(HubConnection connection, string sessionId, string question,
        Func<AnswerChunk, Task>? onChunk = null)
    {
        var chunks = new List<AnswerChunk>();
        await foreach (var chunk in connection.StreamAsync<AnswerChunk>("Ask", sessionId, question))
        {
            chunks.Add(chunk);
            if (onChunk is not null) await onChunk(chunk);
        }
        return chunks;
    }

    private static async Task<string> RefusalAsync(Func<Task> act)
    {
        var ex = await Assert.ThrowsAsync<HubException>(act);
        return ex.Message;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Ask_streams_text_chunks_ending_with_done_frame_times_and_random_model_metadata(bool messagePack)
    {
        await using var connection = await server.ConnectAsync(StreamerFactory.TokenA, messagePack);

        var chunks = await AskAsync(connection, server.SessionId, "What is moving in the picture?");
        var elapsed = (DateTimeOffset.UtcNow - server.SessionRequestedAt).TotalSeconds;

        output.WriteLine($"{chunks.Count} chunks: {string.Concat(chunks.Select(c => c.Text))}");
        var final = chunks[^1];
        Assert.True(final.Done);
        Assert.All(chunks[..^1], c => Assert.False(c.Done));
        // Text streamed as it was generated: many chunks before the last, not one block at the end.
        Assert.True(chunks.Count > 10, $"only {chunks.Count} chunks");
        var metadata = Assert.IsType<AnswerMetadata>(final.Metadata);
        Assert.Equal(LoadedThinker.RandomName, metadata.Model);
        Assert.True(metadata.RandomModel);
        Assert.Equal("length", metadata.FinishReason);
        Assert.Equal(ChatServer.MaxNewTokens, metadata.Tokens);
        // The random model writes printable ASCII only, one character per token.
        var text = string.Concat(chunks.Select(c => c.Text));
        Assert.Equal(ChatServer.MaxNewTokens, text.Length);
        Assert.All(text, ch => Assert.InRange(ch, ' ', '~'));
        Assert.NotEmpty(final.FrameTimes);
        Assert.All(final.FrameTimes, t => Assert.InRange(t, 0, elapsed));
        Assert.Equal(final.FrameTimes.Order(), final.FrameTimes);
        Assert.All(chunks, c => Assert.Equal(final.FrameTimes, c.FrameTimes));
        Assert.True(metadata.RetrievedBlocks + metadata.WindowBlocks >= 1);
    }

    [Fact]
    public async Task Interrupt_stops_generation_early_and_the_done_chunk_still_arrives()
    {
        await using var connection = await server.ConnectAsync(StreamerFactory.TokenA, messagePack: false);
        var interrupted = -1;

        var chunks = await AskAsync(connection, server.SessionId, "Describe the scene.", async chunk =>
        {
            if (interrupted < 0 && !chunk.Done) interrupted = await connection.InvokeAsync<int>("Interrupt", server.SessionId);
        });

        Assert.Equal(1, interrupted);
        var final = chunks[^1];
        Assert.True(final.Done);
        Assert.Equal("interrupted", final.Metadata!.FinishReason);
        Assert.True(final.Metadata.Tokens < ChatServer.MaxNewTokens / 2, $"{final.Metadata.Tokens} tokens after the interrupt");
        // The session is free again: the next question is answered in full.
        var next = await AskAsync(connection, server.SessionId, "And now?");
        Assert.Equal("length", next[^1].Metadata!.FinishReason);
    }

    [Fact]
    public async Task Another_token_cannot_ask_join_or_interrupt_the_session()
    {
        await using var other = await server.ConnectAsync(StreamerFactory.TokenB, messagePack: false);

        var ask = await RefusalAsync(() => AskAsync(other, server.SessionId, "What do you see?"));
        var join = await RefusalAsync(() => other.InvokeAsync<SessionEvent>("Join", server.SessionId));
        var interrupt = await RefusalAsync(() => other.InvokeAsync<int>("Interrupt", server.SessionId));

        // Exactly the message of a session that does not exist, so ids do not leak.
        Assert.Contains($"No session '{server.SessionId}' for this token.", ask);
        Assert.Contains($"No session '{server.SessionId}' for this token.", join);
        Assert.Contains($"No session '{server.SessionId}' for this token.", interrupt);
    }

    [Fact]
    public async Task Unknown_session_is_refused_with_a_clear_error()
    {
        await using var connection = await server.ConnectAsync(StreamerFactory.TokenA, messagePack: true);

        var message = await RefusalAsync(() => AskAsync(connection, "0123456789abcdef01234567", "Hello?"));

        Assert.Contains("No session '0123456789abcdef01234567' for this token.", message);
    }

    [Fact]
    public async Task Oversize_question_is_refused_naming_the_limit_and_the_session_answers_afterwards()
    {
        await using var connection = await server.ConnectAsync(StreamerFactory.TokenA, messagePack: false);

        var message = await RefusalAsync(() => AskAsync(connection, server.SessionId, new string('x', ChatServer.MaxQuestionChars + 1)));

        Assert.Contains($"{ChatServer.MaxQuestionChars + 1} characters", message);
        Assert.Contains("Chat:MaxQuestionChars", message);
        var answer = await AskAsync(connection, server.SessionId, new string('x', ChatServer.MaxQuestionChars));
        Assert.True(answer[^1].Done);
    }

    [Fact]
    public async Task Question_before_any_frame_is_refused_then_answered_once_the_camera_streams_with_started_and_stopped_events()
    {
        // A camera that is not up yet: the session waits for it, reconnecting with backoff.
        using var late = new RtspTestServer(Path.Combine(Path.GetTempPath(), "streamer-unused-clip.mp4"));
        late.Stop();
        var id = await server.CreateRtspSessionAsync(late.Url("live"));
        await using var connection = await server.ConnectAsync(StreamerFactory.TokenA, messagePack: true);
        var events = new List<SessionEvent>();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.On<SessionEvent>("SessionEvent", e =>
        {
            if (e.SessionId != id) return;
            lock (events) events.Add(e);
            if (e.Type == SessionEvent.StreamStarted) started.TrySetResult();
            if (e.Type == SessionEvent.StreamStopped) stopped.TrySetResult();
        });
        var joined = await connection.InvokeAsync<SessionEvent>("Join", id);
        Assert.Equal("connecting", joined.State);

        var message = await RefusalAsync(() => AskAsync(connection, id, "Anything yet?"));

        Assert.Contains($"No video has reached the memory of session '{id}' yet", message);
        late.Start();
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((await connection.InvokeAsync<SessionEvent>("Join", id)).Blocks < 1)
        {
            Assert.True(DateTime.UtcNow < deadline, "no memory block within 60 s of the camera starting");
            await Task.Delay(200);
        }
        var answer = await AskAsync(connection, id, "And now?");
        Assert.True(answer[^1].Done);
        Assert.Equal("length", answer[^1].Metadata!.FinishReason);
        Assert.NotEmpty(answer[^1].FrameTimes);

        using var client = server.Server.Client(StreamerFactory.TokenA);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/sessions/{id}")).StatusCode);
        await stopped.Task.WaitAsync(TimeSpan.FromSeconds(10));
        lock (events)
        {
            var types = events.Select(e => e.Type).Where(t => t != SessionEvent.Stats).ToList();
            Assert.Equal([SessionEvent.StreamStarted, SessionEvent.StreamStopped], types);
            Assert.Equal("live", events.First(e => e.Type == SessionEvent.StreamStarted).State);
        }
    }

    [Fact]
    public async Task Ask_and_interrupt_over_MessagePack_and_a_question_during_an_answer_is_refused_naming_the_limit()
    {
        await using var connection = await server.ConnectAsync(StreamerFactory.TokenA, messagePack: true);
        string? busy = null;
        var interrupted = -1;

        var chunks = await AskAsync(connection, server.SessionId, "Describe the scene.", async chunk =>
        {
            if (interrupted >= 0 || chunk.Done) return;
            busy = await RefusalAsync(() => AskAsync(connection, server.SessionId, "A second question at once?"));
            interrupted = await connection.InvokeAsync<int>("Interrupt", server.SessionId);
        });

        Assert.Contains("Chat:MaxConcurrentAsksPerSession", busy);
        Assert.Equal(1, interrupted);
        Assert.Equal("interrupted", chunks[^1].Metadata!.FinishReason);
        Assert.NotEmpty(chunks[^1].FrameTimes);
    }

    [Fact]
    public async Task Joined_client_receives_stats_with_memory_per_tier()
    {
        await using var connection = await server.ConnectAsync(StreamerFactory.TokenA, messagePack: true);
        var received = new TaskCompletionSource<SessionEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.On<SessionEvent>("SessionEvent", e =>
        {
            if (e.Type == SessionEvent.Stats && e.SessionId == server.SessionId) received.TrySetResult(e);
        });

        var joined = await connection.InvokeAsync<SessionEvent>("Join", server.SessionId);
        var pushed = await received.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("live", joined.State);
        Assert.True(pushed.Blocks >= 2);
        // The camera's H.264 test pattern arrives at some hundreds of kbit/s; zero would mean no counter behind it.
        Assert.InRange(pushed.BitrateKbps, 1, 100_000);
        using var client = server.Server.Client(StreamerFactory.TokenA);
        var stats = await client.GetFromJsonAsync<JsonElement>($"/api/sessions/{server.SessionId}/stats");
        Assert.InRange(stats.GetProperty("video").GetProperty("bitrateKbps").GetDouble(), 1, 100_000);
        // An RTSP camera reports what its client counts; WebRTC's repair figures are left out, not zero.
        var receive = stats.GetProperty("receive");
        Assert.True(receive.GetProperty("packetsReceived").GetInt64() > 0);
        Assert.True(receive.GetProperty("bytesReceived").GetInt64() > 12 * receive.GetProperty("packetsReceived").GetInt64());
        Assert.InRange(receive.GetProperty("bitrateKbps").GetDouble(), 1, 100_000);
        Assert.False(receive.TryGetProperty("nacksSent", out _));
        Assert.True(pushed.FramesInMemory >= 2 * pushed.Blocks - 1);
        Assert.True(pushed.FramesDecoded > pushed.FramesInMemory, "the decoder runs at the camera's rate, memory at the sampling rate");
        // The device tier holds only blocks a question retrieved; none was asked here.
        Assert.Equal(["device", "host", "disk"], pushed.Tiers.Select(t => t.Name));
        Assert.Equal(0, pushed.Tiers[0].Blocks);
        Assert.True(pushed.Tiers[1].Bytes > 0 && pushed.Tiers[1].Blocks >= 1);
    }

    [Fact]
    public async Task Stats_api_reports_the_sessions_memory_with_blocks_frames_drops_and_tiers()
    {
        await using var connection = await server.ConnectAsync(StreamerFactory.TokenA, messagePack: false);
        using var client = server.Server.Client(StreamerFactory.TokenA);

        var stats = await client.GetFromJsonAsync<JsonElement>($"/api/sessions/{server.SessionId}/stats");
        // Read after the API: the memory only grows, so every figure is at most the hub's.
        var joined = await connection.InvokeAsync<SessionEvent>("Join", server.SessionId);

        var memory = stats.GetProperty("memory");
        output.WriteLine(memory.GetRawText());
        Assert.Equal(JsonValueKind.Object, memory.ValueKind);
        var blocks = memory.GetProperty("blocks").GetInt64();
        Assert.InRange(blocks, 2, joined.Blocks);
        // Two frames per block (the model's temporal patch); the two counters are read one after the other.
        Assert.InRange(memory.GetProperty("framesInMemory").GetInt64(), 2 * blocks - 1, joined.FramesInMemory);
        Assert.InRange(memory.GetProperty("framesDropped").GetInt64(), 0, joined.FramesDropped);
        Assert.Equal(0, memory.GetProperty("blocksDropped").GetInt64());
        Assert.Equal(JsonValueKind.Null, memory.GetProperty("error").ValueKind);
        var tiers = memory.GetProperty("tiers").EnumerateArray().ToList();
        Assert.Equal(["device", "host", "disk"], tiers.Select(t => t.GetProperty("tier").GetString()));
        // The budgets are the configured defaults (Memory:HostBytes, Memory:DiskBytes); the device tier's is in blocks.
        Assert.Equal(256L * 1024 * 1024, tiers[1].GetProperty("maxBytes").GetInt64());
        Assert.Equal(4L * 1024 * 1024 * 1024, tiers[2].GetProperty("maxBytes").GetInt64());
        Assert.True(tiers[1].GetProperty("bytes").GetInt64() > 0);
        Assert.InRange(tiers.Sum(t => t.GetProperty("blocks").GetInt64()), 1, blocks);
    }

    [Fact]
    public async Task Stats_list_the_vision_encoder_then_the_memory_stage_with_groups_flowing_and_questions_still_answered()
    {
        using var client = server.Server.Client(StreamerFactory.TokenA);
        var first = await client.GetFromJsonAsync<JsonElement>($"/api/sessions/{server.SessionId}/stats");
        var blocks = first.GetProperty("memory").GetProperty("blocks").GetInt64();
        var stages = first.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("stage").GetString()).ToList();
        output.WriteLine(string.Join(", ", stages));
        var encoderAt = stages.IndexOf("vision-encoder");
        Assert.True(encoderAt >= 0, "no vision-encoder stage");
        Assert.Equal("memory", stages[encoderAt + 1]);

        // Each group of two frames leaves the encoder and becomes a block; wait for one more to see them flow.
        var memoryOut = Stage(first, "memory").GetProperty("itemsOut").GetInt64();
        JsonElement later;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        do
        {
            await Task.Delay(250);
            later = await client.GetFromJsonAsync<JsonElement>($"/api/sessions/{server.SessionId}/stats");
            Assert.True(DateTime.UtcNow < deadline, "no new group reached memory in 20 s");
        }
        while (Stage(later, "memory").GetProperty("itemsOut").GetInt64() <= memoryOut);
        var encoder = Stage(later, "vision-encoder");
        var memory = Stage(later, "memory");
        output.WriteLine($"{encoder.GetRawText()}\n{memory.GetRawText()}");
        var encoderIn = encoder.GetProperty("itemsIn").GetInt64();
        var encoderOut = encoder.GetProperty("itemsOut").GetInt64();
        // Counters are read in, then out, while frames keep arriving: a group may finish between the two reads.
        Assert.True(encoderIn >= 2 * (encoderOut - 1), $"{encoderIn} frames cannot make {encoderOut} groups");
        Assert.True(encoderOut >= 2);
        Assert.True(memory.GetProperty("itemsIn").GetInt64() >= Math.Max(blocks, 2));
        Assert.True(memory.GetProperty("itemsOut").GetInt64() > memoryOut);
        // The encoded queue waits instead of dropping: nothing encoded is lost.
        Assert.Equal(0, memory.GetProperty("dropped").GetInt64());
        Assert.InRange(memory.GetProperty("queueDepth").GetInt32(), 0, 2);
        foreach (var stage in new[] { encoder, memory })
        {
            Assert.True(stage.GetProperty("latencyCount").GetInt64() >= 2);
            Assert.True(stage.GetProperty("latencyTotalMs").GetDouble() > 0);
        }

        await using var connection = await server.ConnectAsync(StreamerFactory.TokenA, messagePack: false);
        var chunks = await AskAsync(connection, server.SessionId, "What changed since the last block?");
        Assert.True(chunks[^1].Done);
        Assert.NotEmpty(chunks[^1].FrameTimes);
        Assert.NotEmpty(string.Concat(chunks.Select(c => c.Text)));
    }

    private static JsonElement Stage(JsonElement stats, string name) =>
        stats.GetProperty("stages").EnumerateArray().Single(s => s.GetProperty("stage").GetString() == name);

    [Fact]
    public async Task Hub_refuses_a_connection_without_a_valid_token()
    {
        var missing = await Assert.ThrowsAsync<HttpRequestException>(() => server.ConnectAsync(null, messagePack: false));
        var wrong = await Assert.ThrowsAsync<HttpRequestException>(() => server.ConnectAsync("not-a-valid-token-at-all", messagePack: false));

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
    }

    [Fact]
    public async Task OpenApi_document_describes_the_sessions_api()
    {
        using var client = server.Server.Client(null);

        var json = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));

        var paths = json.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/sessions/{id}", out var session));
        Assert.True(session.TryGetProperty("get", out _));
        Assert.True(session.TryGetProperty("delete", out _));
        Assert.True(paths.TryGetProperty("/api/sources", out _));
    }

    [Fact]
    public async Task Every_memory_block_reports_its_ingest_lag_in_milliseconds_on_metrics()
    {
        var lags = new ConcurrentQueue<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == StageMetrics.Meter.Name && instrument.Name == SessionMemory.IngestLagName) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((_, value, _, _) => lags.Enqueue(value));
        listener.Start();
        // An old session, so a lag measured from the session's start instead of the frame's decode cannot pass.
        var age = DateTimeOffset.UtcNow - server.SessionRequestedAt;
        if (age < TimeSpan.FromSeconds(6)) await Task.Delay(TimeSpan.FromSeconds(6) - age);
        await using var connection = await server.ConnectAsync(StreamerFactory.TokenA, messagePack: false);
        var blocks = (await connection.InvokeAsync<SessionEvent>("Join", server.SessionId)).Blocks;

        // The camera session stores a block a second (2 fps, two frames per block).
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while ((lags.IsEmpty || (await connection.InvokeAsync<SessionEvent>("Join", server.SessionId)).Blocks == blocks) && DateTime.UtcNow < deadline)
            await Task.Delay(100);

        Assert.NotEmpty(lags);
        // Decode to stored takes at least the vision encoder and prefill, in milliseconds, not seconds.
        Assert.All(lags, lag => Assert.InRange(lag, 0.5, 5000));
        var metrics = await server.Server.Client(null).GetStringAsync("/metrics");
        Assert.Contains("streamer_memory_ingest_lag_count", metrics);
    }
}
