using System.Net;
using Streamer.Server.Pipeline;
using Streamer.Server.Tests.Infrastructure;

namespace Streamer.Server.Tests.Api;

public sealed class HealthAndMetricsTests
{
    [Fact]
    public async Task Healthz_is_200_without_a_token_once_started()
    {
        await using var factory = new StreamerFactory();

        var response = await factory.ClientWith(null).GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("ready", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Metrics_are_prometheus_text_and_include_stage_metrics()
    {
        await using var factory = new StreamerFactory();
        var client = factory.ClientWith(null);
        var stage = new StageMetrics("metrics-test-stage");
        stage.RecordIn();
        stage.RecordDropped();

        // The meter adapter publishes on its own schedule; poll briefly.
        string body = "";
        for (var i = 0; i < 50 && !body.Contains("metrics-test-stage"); i++)
        {
            var response = await client.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
            body = await response.Content.ReadAsStringAsync();
            if (!body.Contains("metrics-test-stage")) await Task.Delay(100);
        }

        Assert.Contains("streamer_stage_items_dropped_total", body);
        Assert.Contains("metrics-test-stage", body);
    }

    [Fact]
    public async Task Metrics_can_require_a_token()
    {
        await using var factory = new StreamerFactory().With("Metrics:RequireToken", "true");

        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.ClientWith(null).GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await factory.ClientWith(StreamerFactory.TokenA).GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task Server_generates_a_token_when_none_is_configured()
    {
        await using var factory = new StreamerFactory().With("Auth:Tokens", null);
        var tokens = (Auth.TokenStore)factory.Services.GetService(typeof(Auth.TokenStore))!;

        Assert.NotNull(tokens.GeneratedToken);
        var response = await factory.ClientWith(tokens.GeneratedToken).GetAsync("/api/sessions");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Short_configured_token_fails_start()
    {
        await using var factory = new StreamerFactory().With("Auth:Tokens", "short");

        Assert.ThrowsAny<Exception>(() => factory.CreateClient());
    }
}
