using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Streamer.Server.Models;
using Streamer.Server.Speech;
using Streamer.Server.Tests.Infrastructure;

namespace Streamer.Server.Tests.Speech;

/// <summary><c>GET /api/speech</c> against the real server: what the voice picker of the page reads.</summary>
public sealed class SpeechApiTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("not-a-valid-token-at-all")]
    public async Task Speech_without_a_valid_token_is_401(string? token)
    {
        using var factory = new StreamerFactory();

        var response = await factory.ClientWith(token).GetAsync("/api/speech");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Random_model_speaks_in_the_random_voice()
    {
        using var factory = new StreamerFactory();

        var speech = await LoadedSpeechAsync(factory);

        Assert.Equal("ready", speech.GetProperty("status").GetString());
        Assert.Equal([RandomSpeech.SpeakerName], speech.GetProperty("speakers").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(RandomSpeech.SpeakerName, speech.GetProperty("defaultSpeaker").GetString());
    }

    [Fact]
    public async Task Missing_token2wav_reports_text_only_and_no_voices()
    {
        var folder = Directory.CreateTempSubdirectory("streamer-no-token2wav-").FullName;
        try
        {
            // A thinker-only export: config.json without token2wav_config.
            var thinkerOnly = new JsonObject
            {
                ["model_type"] = "qwen2_5_omni",
                ["thinker_config"] = JsonSerializer.SerializeToNode(RandomThinker.Config().ThinkerConfig),
            };
            await File.WriteAllTextAsync(Path.Combine(folder, "config.json"), thinkerOnly.ToJsonString());
            using var factory = new StreamerFactory().With("Models:Token2Wav:Path", folder);

            var speech = await LoadedSpeechAsync(factory);

            var status = speech.GetProperty("status").GetString() ?? "";
            Assert.StartsWith("unavailable: ", status);
            Assert.Contains("no token2wav_config", status);
            Assert.EndsWith("answers are text only", status);
            Assert.Equal(0, speech.GetProperty("speakers").GetArrayLength());
            Assert.Equal(JsonValueKind.Null, speech.GetProperty("defaultSpeaker").ValueKind);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Speech_switched_off_says_which_setting()
    {
        using var factory = new StreamerFactory().With("Speech:Enabled", "false");

        var speech = await LoadedSpeechAsync(factory);

        Assert.Equal("off (Speech:Enabled is false)", speech.GetProperty("status").GetString());
        Assert.Equal(0, speech.GetProperty("speakers").GetArrayLength());
    }

    [Fact]
    public async Task OpenApi_document_describes_the_speech_endpoint()
    {
        using var factory = new StreamerFactory();

        var json = JsonDocument.Parse(await factory.ClientWith(null).GetStringAsync("/openapi/v1.json")).RootElement;

        Assert.Equal("GetSpeech", json.GetProperty("paths").GetProperty("/api/speech").GetProperty("get").GetProperty("operationId").GetString());
        var schema = json.GetProperty("components").GetProperty("schemas").GetProperty("SpeechDto").GetProperty("properties");
        Assert.True(schema.TryGetProperty("status", out _));
        Assert.True(schema.TryGetProperty("speakers", out _));
        Assert.True(schema.TryGetProperty("defaultSpeaker", out _));
    }

    /// <summary>The endpoint once the speech host has finished loading (the random models take a moment).</summary>
    private static async Task<JsonElement> LoadedSpeechAsync(StreamerFactory factory)
    {
        var client = factory.ClientWith(StreamerFactory.TokenA);
        await factory.Services.GetRequiredService<SpeechHost>().Loaded.WaitAsync(TimeSpan.FromSeconds(60));
        return await client.GetFromJsonAsync<JsonElement>("/api/speech");
    }
}
