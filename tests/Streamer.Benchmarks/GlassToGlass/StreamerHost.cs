using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Streamer.Server.Sessions;

namespace Streamer.Benchmarks.GlassToGlass;

/// <summary>The real server in this process on a real loopback port, reachable by Chromium.</summary>
public sealed class StreamerHost : IAsyncDisposable
{
    public const string Token = "glass-to-glass-0123456789abcdef";

    private readonly Factory _factory;

    private StreamerHost(Factory factory, int port)
    {
        _factory = factory;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri BaseAddress { get; }

    public SessionRegistry Sessions => _factory.Services.GetRequiredService<SessionRegistry>();

    public IServiceProvider Services => _factory.Services;

    /// <param name="settings">Configuration keys set on top of the defaults (<c>Chat:MaxNewTokens</c>, ...).</param>
    public static StreamerHost Start(IReadOnlyDictionary<string, string>? settings = null)
    {
        var factory = new Factory(settings ?? new Dictionary<string, string>());
        var port = FreeTcpPort();
        factory.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        factory.StartServer();
        return new StreamerHost(factory, port);
    }

    public HttpClient Client()
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return client;
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    private sealed class Factory(IReadOnlyDictionary<string, string> settings) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            // The factory looks for the server's folder from the working directory, which here is
            // wherever the command was started; the checkout above the binaries is reliable.
            if (RepositoryRoot.Find() is { } root)
            {
                builder.UseContentRoot(Path.Combine(root, "server", "Streamer.Server"));
            }
            builder.UseSetting("Auth:Tokens", Token);
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            // Kestrel warns that UseKestrel overrides the configured address, which is the point here.
            builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore.Server.Kestrel", "Error");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        }
    }
}
