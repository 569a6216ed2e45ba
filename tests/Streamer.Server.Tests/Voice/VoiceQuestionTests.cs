using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Streamer.Media.Codecs;
using Streamer.Server.Chat;
using Streamer.Server.Tests.Chat;
using Streamer.Server.Tests.Infrastructure;
using Streamer.Server.Voice;
using Xunit.Abstractions;

namespace Streamer.Server.Tests.Voice;

/// <summary>
/// Opus packets from libopus through a session's voice stage, with the random model and video
/// in memory, and a real SignalR client following the session.
/// </summary>
[Trait("Category", "Voice")]
public sealed class VoiceQuestionTests(ChatServer server, ITestOutputHelper output) : IClassFixture<ChatServer>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private sealed class Follower(HubConnection connection) : IAsyncDisposable
    {
        public Channel<VoiceQuestionEvent> Questions { get; } = Channel.CreateUnbounded<VoiceQuestionEvent>();
        public Channel<VoiceAnswerChunk> Answers { get; } = Channel.CreateUnbounded<VoiceAnswerChunk>();
        public HubConnection Connection => connection;

        public static async Task<Follower> JoinAsync(ChatServer server, string sessionId)
        {
            var connection = await server.ConnectAsync(StreamerFactory.TokenA, messagePack: true);
            var follower = new Follower(connection);
            connection.On<VoiceQuestionEvent>("VoiceQuestion", q => follower.Questions.Writer.TryWrite(q));
            connection.On<VoiceAnswerChunk>("VoiceAnswer", c => follower.Answers.Writer.TryWrite(c));
            await connection.InvokeAsync<SessionEvent>("Join", sessionId);
            return follower;
        }

        public async Task<List<VoiceAnswerChunk>> AnswerAsync(string questionId)
        {
            var chunks = new List<VoiceAnswerChunk>();
            using var timeout = new CancellationTokenSource(Patience);
            while (chunks.Count == 0 || !chunks[^1].Done)
            {
                var chunk = await Answers.Reader.ReadAsync(timeout.Token);
                Assert.Equal(questionId, chunk.QuestionId);
                chunks.Add(chunk);
            }
            return chunks;
        }

        public ValueTask DisposeAsync() => connection.DisposeAsync();
    }

    private async Task<(Streamer.Server.Sessions.Session Session, VoiceStage Stage, Channel<EncodedFrame> Microphone)> StartAsync(Func<string, Task>? beforeVoice = null)
    {
        var id = await server.CreateRtspSessionAsync(server.Camera.Url("live"));
        var session = server.Server.Sessions.All.Single(s => s.Id == id);
        var memories = server.Server.Services.GetRequiredService<SessionMemories>();
        var deadline = DateTime.UtcNow + Patience;
        while (memories.Find(id) is not { Blocks: > 0 })
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("no video in memory");
            await Task.Delay(100);
        }
        if (beforeVoice is not null) await beforeVoice(id);
        var microphone = Channel.CreateBounded<EncodedFrame>(1000);
        var stage = server.Server.Services.GetRequiredService<VoiceSessions>().Start(session, microphone.Reader);
        return (session, stage, microphone);
    }

    private static async Task SendAsync(Channel<EncodedFrame> microphone, IEnumerable<EncodedFrame> frames)
    {
        foreach (var frame in frames) await microphone.Writer.WriteAsync(frame);
    }

    [Fact]
    public async Task Spoken_question_after_bad_packets_is_cut_asked_and_answered_to_the_joined_client()
    {
        var (session, stage, microphone) = await StartAsync();
        await using var follower = await Follower.JoinAsync(server, session.Id);

        // The audio's clock starts with its first packet; the packets below arrive at once, faster than real time.
        var fedAt = (DateTimeOffset.UtcNow - session.CreatedAt).TotalSeconds;
        // Code 3 packets must say how many frames follow; these do not (RFC 6716 3.2.5).
        await SendAsync(microphone, Enumerable.Range(0, 3).Select(i => EncodedFrame.CopyAudio([0x03], (uint)i * 960)));
        await SendAsync(microphone, OpusTestAudio.Encode(OpusTestAudio.SpeechAfterSilence(1.0, 1.2, 1.0, seed: 61), firstTimestamp: 3 * 960));

        using var timeout = new CancellationTokenSource(Patience);
        var question = await follower.Questions.Reader.ReadAsync(timeout.Token);
        var chunks = await follower.AnswerAsync(question.QuestionId);

        output.WriteLine($"question {question.QuestionId} at {question.MediaTime} s for {question.DurationSeconds} s; {chunks.Count} chunks");
        Assert.Null(question.Error);
        Assert.Equal(session.Id, question.SessionId);
        Assert.Equal("silence", question.End);
        // Libopus's look-ahead and the resampler's delay shift the cut by a few milliseconds, the syllable decay a little more.
        Assert.InRange(question.DurationSeconds, 1.2 - 0.15, 1.2 + 0.06);
        // Speech starts 1 s into the audio; the pre-roll (200 ms) and the detector's onset move the cut earlier.
        Assert.InRange(question.MediaTime, fedAt + 1.0 - 0.35, fedAt + 1.0 + 0.3);
        var final = chunks[^1];
        Assert.All(chunks[..^1], c => Assert.False(c.Done));
        Assert.True(chunks.Count > 10, $"only {chunks.Count} chunks");
        Assert.Equal("length", final.Metadata!.FinishReason);
        Assert.Equal(ChatServer.MaxNewTokens, final.Metadata.Tokens);
        Assert.True(final.Metadata.RandomModel);
        Assert.NotEmpty(final.FrameTimes);
        Assert.Equal(3, stage.Stats.PacketsRejected);
        Assert.Equal(1, stage.Stats.Utterances);
        Assert.Equal(0, stage.Stats.BargeIns);
    }

    [Fact]
    public async Task Speaking_while_a_text_answer_streams_interrupts_it_and_the_spoken_question_is_answered_next()
    {
        var (session, stage, microphone) = await StartAsync();
        await using var follower = await Follower.JoinAsync(server, session.Id);
        var speech = OpusTestAudio.Encode(OpusTestAudio.SpeechAfterSilence(0.5, 1.0, 1.0, seed: 71));

        var chunks = new List<AnswerChunk>();
        var spoke = false;
        await foreach (var chunk in follower.Connection.StreamAsync<AnswerChunk>("Ask", session.Id, "What is happening?"))
        {
            chunks.Add(chunk);
            if (spoke) continue;
            spoke = true;
            await SendAsync(microphone, speech);
        }

        var final = chunks[^1];
        output.WriteLine($"text answer: {final.Metadata!.Tokens} tokens, {final.Metadata.FinishReason}");
        Assert.Equal("interrupted", final.Metadata.FinishReason);
        Assert.True(final.Metadata.Tokens < ChatServer.MaxNewTokens, $"{final.Metadata.Tokens} tokens");
        Assert.Equal(1, stage.Stats.BargeIns);
        using var timeout = new CancellationTokenSource(Patience);
        var question = await follower.Questions.Reader.ReadAsync(timeout.Token);
        Assert.Null(question.Error);
        var answer = await follower.AnswerAsync(question.QuestionId);
        Assert.Equal("length", answer[^1].Metadata!.FinishReason);
    }

    [Fact]
    public async Task Stats_api_and_hub_report_the_voice_figures_of_a_session_with_lost_late_and_bad_packets()
    {
        using var http = server.Server.Client(StreamerFactory.TokenA);
        JsonElement before = default;
        var (session, stage, microphone) = await StartAsync(async id => before = await http.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}/stats"));
        // One second of background noise (nothing to ask): packet 10 lost, 20 sent twice, 30 and 31 swapped, one undecodable.
        var packets = OpusTestAudio.Encode(SpeechLikeSignal.WhiteNoise(OpusTestAudio.Rate, 0.001, seed: 91));
        packets[10].Dispose();
        packets.RemoveAt(10);
        packets.Insert(20, EncodedFrame.CopyAudio(packets[19].Data.Span, packets[19].RtpTimestamp));
        (packets[30], packets[31]) = (packets[31], packets[30]);
        packets.Add(EncodedFrame.CopyAudio([0x03], packets[^1].RtpTimestamp + 960));
        var sent = packets.Count;
        await SendAsync(microphone, packets);
        var deadline = DateTime.UtcNow + Patience;
        // Counted once the stage has finished with each packet.
        while (stage.Metrics.Out + stage.Metrics.Dropped < sent)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("packets not received");
            await Task.Delay(20);
        }

        var stats = await http.GetFromJsonAsync<JsonElement>($"/api/sessions/{session.Id}/stats");
        await using var follower = await Follower.JoinAsync(server, session.Id);
        var joined = await follower.Connection.InvokeAsync<SessionEvent>("Join", session.Id);

        Assert.Equal(JsonValueKind.Null, before.GetProperty("voice").ValueKind);
        var voice = stats.GetProperty("voice");
        output.WriteLine(voice.GetRawText());
        Assert.Equal(sent, voice.GetProperty("packets").GetInt64());
        // The duplicate, and packet 30 arriving after 31.
        Assert.Equal(2, voice.GetProperty("packetsLate").GetInt64());
        Assert.Equal(1, voice.GetProperty("packetsRejected").GetInt64());
        // Packet 10 and packet 30 (concealed when 31 came first).
        Assert.Equal(2, voice.GetProperty("gaps").GetInt64());
        Assert.Equal(40, voice.GetProperty("concealedMs").GetDouble());
        Assert.Equal(0, voice.GetProperty("silencedMs").GetDouble());
        Assert.Equal(0, voice.GetProperty("utterances").GetInt64());
        Assert.Contains(stats.GetProperty("stages").EnumerateArray(), s => s.GetProperty("stage").GetString() == "voice" && s.GetProperty("dropped").GetInt64() == 2);
        Assert.NotNull(joined.Voice);
        Assert.Equal(2, joined.Voice.PacketsLate);
        Assert.Equal(40, joined.Voice.ConcealedMs);
        Assert.Equal(sent, joined.Voice.Packets);
    }
}
