using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Streamer.Server.Tests.Infrastructure;

namespace Streamer.Server.Tests.Api;

public sealed class LimitsApiTests : IClassFixture<LimitsApiTests.ConfiguredServer>
{
    private readonly StreamerFactory _factory;

    public LimitsApiTests(ConfiguredServer server) => _factory = server.Factory;

    /// <summary>The server with limits that differ from every default, so a hard-coded value cannot pass.</summary>
    public sealed class ConfiguredServer : IDisposable
    {
        public StreamerFactory Factory { get; } = new StreamerFactory()
            .With("Chat:MaxQuestionChars", "345")
            .With("Chat:MaxNewTokens", "77")
            .With("Chat:MaxConcurrentAsksPerSession", "2")
            .With("Chat:EventIntervalSeconds", "0.25")
            .With("Sessions:MaxSessionsPerToken", "3")
            .With("Sessions:MaxSessions", "9")
            .With("Memory:SampleFps", "1.5")
            .With("Rtsp:DefaultSampleFps", "0.5")
            .With("Rtsp:MaxSampleFps", "12")
            .With("WebRtc:MaxSdpBytes", "20000");

        public void Dispose() => Factory.Dispose();
    }

    [Fact]
    public async Task Limits_report_the_configured_values()
    {
        var limits = await _factory.ClientWith(StreamerFactory.TokenA).GetFromJsonAsync<JsonElement>("/api/limits");

        Assert.Equal(345, limits.GetProperty("maxQuestionChars").GetInt32());
        Assert.Equal(77, limits.GetProperty("maxNewTokens").GetInt32());
        Assert.Equal(2, limits.GetProperty("maxConcurrentAsksPerSession").GetInt32());
        Assert.Equal(3, limits.GetProperty("maxSessionsPerToken").GetInt32());
        Assert.Equal(9, limits.GetProperty("maxSessions").GetInt32());
        Assert.Equal(1.5, limits.GetProperty("sampleFps").GetDouble());
        Assert.Equal(0.5, limits.GetProperty("rtspDefaultSampleFps").GetDouble());
        Assert.Equal(12, limits.GetProperty("rtspMaxSampleFps").GetDouble());
        Assert.Equal(20000, limits.GetProperty("maxSdpBytes").GetInt32());
        Assert.Equal(0.25, limits.GetProperty("eventIntervalSeconds").GetDouble());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-valid-token-at-all")]
    public async Task Limits_without_a_valid_token_are_401(string? token)
    {
        var response = await _factory.ClientWith(token).GetAsync("/api/limits");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task OpenApi_document_describes_the_limits_endpoint_and_its_fields()
    {
        var json = JsonDocument.Parse(await _factory.ClientWith(null).GetStringAsync("/openapi/v1.json")).RootElement;

        var get = json.GetProperty("paths").GetProperty("/api/limits").GetProperty("get");
        Assert.Equal("GetLimits", get.GetProperty("operationId").GetString());
        var schema = json.GetProperty("components").GetProperty("schemas").GetProperty("LimitsDto").GetProperty("properties");
        Assert.True(schema.TryGetProperty("maxQuestionChars", out _));
        Assert.True(schema.TryGetProperty("maxSessionsPerToken", out _));
    }
}
