using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Streamer.Server.Tests.Infrastructure;

/// <summary>The real server in-process with two known tokens.</summary>
public sealed class StreamerFactory : WebApplicationFactory<Program>
{
    public const string TokenA = "token-a-0123456789abcdef";
    public const string TokenB = "token-b-0123456789abcdef";

    private readonly Dictionary<string, string?> _settings = new()
    {
        ["Auth:Tokens"] = $"{TokenA},{TokenB}",
        ["Logging:LogLevel:Default"] = "Warning",
        // Tests run the small random model even where a real checkpoint is cached.
        ["Models:Thinker:SearchHuggingFaceCache"] = "false",
    };

    public StreamerFactory With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
    }

    public HttpClient ClientWith(string? token)
    {
        var client = CreateClient();
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
