using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Streamer.Server.Sessions;

namespace Streamer.Server.Tests.Infrastructure;

/// <summary>The real server on a real loopback port, for peers outside the process (Chromium).</summary>
public sealed class KestrelStreamer : IAsyncDisposable
{
    private readonly StreamerFactory _factory;

    private KestrelStreamer(StreamerFactory factory, int port)
    {
        _factory = factory;
        Port = port;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public int Port { get; }

    public Uri BaseAddress { get; }

    public IServiceProvider Services => _factory.Services;

    public SessionRegistry Sessions => (SessionRegistry)Services.GetService(typeof(SessionRegistry))!;

    public static KestrelStreamer Start(params (string Key, string? Value)[] settings)
    {
        var factory = new StreamerFactory();
        foreach (var (key, value) in settings) factory.With(key, value);
        var port = FreeTcpPort();
        factory.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        factory.StartServer();
        return new KestrelStreamer(factory, port);
    }

    public HttpClient Client(string? token)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    public static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static int FreeUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();
}
