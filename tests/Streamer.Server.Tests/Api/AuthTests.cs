using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Streamer.Server.Tests.Infrastructure;

namespace Streamer.Server.Tests.Api;

public sealed class AuthTests : IClassFixture<StreamerFactory>
{
    private readonly StreamerFactory _factory;

    public AuthTests(StreamerFactory factory) => _factory = factory;

    [Fact]
    public async Task Sessions_api_without_token_is_401_with_problem_details()
    {
        var response = await _factory.ClientWith(null).GetAsync("/api/sessions");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Sessions_api_with_wrong_token_is_401()
    {
        var response = await _factory.ClientWith("not-a-valid-token-at-all").GetAsync("/api/sessions");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("not valid", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Sessions_api_with_configured_token_lists_sessions()
    {
        var response = await _factory.ClientWith(StreamerFactory.TokenA).GetAsync("/api/sessions");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sessions = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(JsonValueKind.Array, sessions.ValueKind);
    }

    [Fact]
    public async Task Unknown_session_is_404()
    {
        var response = await _factory.ClientWith(StreamerFactory.TokenA).GetAsync("/api/sessions/doesnotexist");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
