using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Streamer.Server.Tests.Infrastructure;
using Streamer.Server.Voice;
using Xunit.Abstractions;

namespace Streamer.Server.Tests.Voice;

[Trait("Category", "Browser")]
[Collection(BrowserCollection.Name)]
public sealed class VoiceChromiumTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Chromium_microphone_speech_after_silence_becomes_a_voice_question_with_a_streamed_answer()
    {
        var folder = Directory.CreateTempSubdirectory("streamer-voice-chromium-").FullName;
        try
        {
            // The fake microphone loops this file: 2.5 s of silence, 1.5 s of speech-like sound, 3 s of silence.
            var wav = Path.Combine(folder, "question.wav");
            OpusTestAudio.WriteWav(wav, OpusTestAudio.SpeechAfterSilence(2.5, 1.5, 3.0, seed: 81), OpusTestAudio.Rate);
            using var clip = Y4mClip.Create(320, 240, 15, seconds: 2);
            await using var server = KestrelStreamer.Start(
                ("Chat:MaxNewTokens", "24"),
                ("Memory:MinPixels", "3136"),
                ("Memory:MaxPixels", "9408"),
                ("Memory:DiskFolder", Path.Combine(folder, "kv")));
            await using var chromium = await ChromiumPeer.LaunchAsync(clip.Path, wav);

            var location = await chromium.PublishAsync(server.BaseAddress, StreamerFactory.TokenA, "VP8", receiveAudio: true);
            var sessionId = location.Split('/').Last();
            await using var connection = new HubConnectionBuilder()
                .WithUrl(new Uri(server.BaseAddress, "/hubs/chat"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(StreamerFactory.TokenA))
                .Build();
            var questions = Channel.CreateUnbounded<VoiceQuestionEvent>();
            var answers = Channel.CreateUnbounded<VoiceAnswerChunk>();
            connection.On<VoiceQuestionEvent>("VoiceQuestion", q => questions.Writer.TryWrite(q));
            connection.On<VoiceAnswerChunk>("VoiceAnswer", c => answers.Writer.TryWrite(c));
            await connection.StartAsync();
            await connection.InvokeAsync<Streamer.Server.Chat.SessionEvent>("Join", sessionId);

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            // A loop of the file that ends before video reached the memory is refused with a reason; the next one is asked.
            VoiceQuestionEvent question;
            do
            {
                question = await questions.Reader.ReadAsync(timeout.Token);
                output.WriteLine($"question {question.QuestionId} at {question.MediaTime:F2} s, {question.DurationSeconds:F2} s, error: {question.Error}");
            }
            while (question.Error is not null);
            var chunks = new List<VoiceAnswerChunk>();
            while (chunks.Count == 0 || !chunks[^1].Done)
            {
                var chunk = await answers.Reader.ReadAsync(timeout.Token);
                if (chunk.QuestionId == question.QuestionId) chunks.Add(chunk);
            }

            var stage = server.Services.GetRequiredService<VoiceSessions>().Find(sessionId) ?? throw new InvalidOperationException("no voice stage");
            output.WriteLine($"{chunks.Count} chunks, {stage.Stats.Packets} packets, {stage.Stats.Utterances} utterances, {stage.Stats.PacketsRejected} rejected");
            // Browser capture, Opus at the browser's bitrate and the network path: the cut stays near the 1.5 s burst.
            Assert.InRange(question.DurationSeconds, 1.5 - 0.25, 1.5 + 0.15);
            Assert.Equal("silence", question.End);
            var final = chunks[^1];
            Assert.Equal("length", final.Metadata!.FinishReason);
            Assert.Equal(24, final.Metadata.Tokens);
            Assert.NotEmpty(final.FrameTimes);
            Assert.True(stage.Stats.Utterances >= 1);
            Assert.Equal(0, stage.Stats.PacketsRejected);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
