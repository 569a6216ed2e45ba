using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Streamer.Server.Tests.Infrastructure;

namespace Streamer.Server.Tests.Client;

public sealed class ClientAppTests : IDisposable
{
    private const string IndexMarker = "<title>client under test</title>";
    private const string Script = "console.log('client under test');";
    private readonly string _folder = Directory.CreateTempSubdirectory("streamer-client-app-").FullName;

    public ClientAppTests()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "assets"));
        File.WriteAllText(Path.Combine(_folder, "index.html"), $"<!doctype html>{IndexMarker}");
        File.WriteAllText(Path.Combine(_folder, "assets", "index-abc123.js"), Script);
    }

    private StreamerFactory Server(string path) => new StreamerFactory().With("Client:Path", path);

    [Fact]
    public async Task Root_serves_the_built_index_without_a_token_and_revalidated()
    {
        await using var factory = Server(_folder);

        var response = await factory.ClientWith(null).GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(IndexMarker, await response.Content.ReadAsStringAsync());
        Assert.True(response.Headers.CacheControl?.NoCache);
    }

    [Fact]
    public async Task Hashed_assets_are_served_as_immutable()
    {
        await using var factory = Server(_folder);

        var response = await factory.ClientWith(null).GetAsync("/assets/index-abc123.js");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Script, await response.Content.ReadAsStringAsync());
        Assert.Contains("immutable", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task Page_paths_fall_back_to_index_but_api_paths_stay_404_problems()
    {
        await using var factory = Server(_folder);
        var client = factory.ClientWith(StreamerFactory.TokenA);

        var page = await client.GetAsync("/sessions/abc");
        var api = await client.GetAsync("/api/unknown/thing");
        var missingAsset = await client.GetAsync("/assets/missing.js");
        var hubBeforeItExists = await client.PostAsync("/hubs/unknown/negotiate", null);
        var postToPage = await client.PostAsync("/sessions/abc", null);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains(IndexMarker, await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, missingAsset.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, hubBeforeItExists.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, postToPage.StatusCode);
    }

    [Fact]
    public async Task Unbuilt_client_folder_answers_root_with_a_problem_naming_it()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_folder, "empty")).FullName;
        await using var factory = Server(empty);

        var response = await factory.ClientWith(null).GetAsync("/");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Web client not built", problem.GetProperty("title").GetString());
        Assert.Contains(empty, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Api_still_answers_beside_the_client()
    {
        await using var factory = Server(_folder);

        var sessions = await factory.ClientWith(StreamerFactory.TokenA).GetAsync("/api/sessions");
        var stats = await factory.ClientWith(StreamerFactory.TokenA).GetAsync("/api/sessions/0123456789abcdef01234567/stats");

        Assert.Equal(HttpStatusCode.OK, sessions.StatusCode);
        Assert.Equal("[]", await sessions.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, stats.StatusCode);
        Assert.Equal("application/problem+json", stats.Content.Headers.ContentType?.MediaType);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
