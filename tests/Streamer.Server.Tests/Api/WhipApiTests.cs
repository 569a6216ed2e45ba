using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Streamer.Server.Tests.Infrastructure;

namespace Streamer.Server.Tests.Api;

public sealed class WhipApiTests : IClassFixture<StreamerFactory>
{
    private readonly StreamerFactory _factory;

    public WhipApiTests(StreamerFactory factory) => _factory = factory;

    private static StringContent Sdp(string body)
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/sdp");
        return content;
    }

    private static string ChromiumOffer() => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Resources", "chromium-offer.sdp"));

    [Fact]
    public async Task Offer_without_token_is_401()
    {
        var response = await _factory.ClientWith(null).PostAsync("/whip", Sdp(ChromiumOffer()));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Offer_with_wrong_content_type_is_415()
    {
        var response = await _factory.ClientWith(StreamerFactory.TokenA).PostAsync("/whip", new StringContent(ChromiumOffer(), Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello world")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=video\r\n")]
    public async Task Malformed_offer_is_400_with_a_clear_problem(string offer)
    {
        var response = await _factory.ClientWith(StreamerFactory.TokenA).PostAsync("/whip", Sdp(offer));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task Offer_with_no_common_codec_is_400_naming_the_problem()
    {
        var offer = ChromiumOffer().Replace("VP8/90000", "XV1/90000").Replace("H264/90000", "XH4/90000").Replace("opus/48000", "xopus/48000");

        var response = await _factory.ClientWith(StreamerFactory.TokenA).PostAsync("/whip", Sdp(offer));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("no common codec", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Oversized_offer_is_413()
    {
        var response = await _factory.ClientWith(StreamerFactory.TokenA).PostAsync("/whip", Sdp(new string('a', 70 * 1024)));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Valid_offer_creates_a_session_only_its_token_can_see_and_delete()
    {
        var owner = _factory.ClientWith(StreamerFactory.TokenA);
        var other = _factory.ClientWith(StreamerFactory.TokenB);

        var response = await owner.PostAsync("/whip", Sdp(ChromiumOffer()));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("application/sdp", response.Content.Headers.ContentType?.MediaType);
        var location = response.Headers.Location!.ToString();
        Assert.StartsWith("/whip/", location);
        var id = location["/whip/".Length..];
        var answer = await response.Content.ReadAsStringAsync();
        Assert.Contains("a=ice-lite", answer);
        Assert.Contains("a=setup:passive", answer);
        Assert.Contains("typ host", answer);

        var mine = await owner.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}");
        Assert.Equal("webrtc", mine.GetProperty("kind").GetString());
        Assert.Equal("connecting", mine.GetProperty("state").GetString());
        Assert.Equal(0, mine.GetProperty("video").GetProperty("framesDecoded").GetInt64());

        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/sessions/{id}")).StatusCode);
        Assert.DoesNotContain(id, await other.GetStringAsync("/api/sessions"));
        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync(location)).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await owner.PatchAsync(location, Sdp("a=end-of-candidates"))).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await owner.DeleteAsync(location)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync($"/api/sessions/{id}")).StatusCode);
    }

    [Fact]
    public async Task Memory_policy_in_the_query_is_the_sessions_policy_default_when_absent_and_400_when_unknown()
    {
        var client = _factory.ClientWith(StreamerFactory.TokenA);

        var chosen = await client.PostAsync("/whip?memoryPolicy=LiveVLM", Sdp(ChromiumOffer()));
        var plain = await client.PostAsync("/whip", Sdp(ChromiumOffer()));
        var unknown = await client.PostAsync("/whip?memoryPolicy=everything", Sdp(ChromiumOffer()));

        Assert.Equal(HttpStatusCode.Created, chosen.StatusCode);
        Assert.Equal(HttpStatusCode.Created, plain.StatusCode);
        foreach (var (response, policy) in new[] { (chosen, "livevlm"), (plain, "rekv") })
        {
            var location = response.Headers.Location!.ToString();
            var session = await client.GetFromJsonAsync<JsonElement>($"/api/sessions/{location["/whip/".Length..]}");
            Assert.Equal(policy, session.GetProperty("memoryPolicy").GetString());
            Assert.Equal(HttpStatusCode.OK, (await client.DeleteAsync(location)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        var problem = await unknown.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("memoryPolicy", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unsupported_methods_on_the_endpoint_are_405_with_allow()
    {
        var client = _factory.ClientWith(StreamerFactory.TokenA);

        var get = await client.GetAsync("/whip");
        var options = await client.SendAsync(new HttpRequestMessage(HttpMethod.Options, "/whip"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
        Assert.Contains("POST", get.Content.Headers.Allow);
        Assert.Equal(HttpStatusCode.NoContent, options.StatusCode);
        Assert.Contains("POST", options.Content.Headers.Allow);
    }
}
