using System.Net;
using System.Net.Sockets;

namespace Streamer.Server.Tests.Infrastructure;

/// <summary>
/// A loopback UDP relay between a browser and the server that drops a fraction of the
/// datagrams in each direction (seeded, so runs are comparable).
/// </summary>
public sealed class LossyUdpRelay : IAsyncDisposable
{
    private readonly Socket _front = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Socket _back = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly IPEndPoint _server;
    private readonly double _lossRate;
    private readonly Random _random;
    private readonly Lock _randomLock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _forward;
    private readonly Task _backward;
    private IPEndPoint? _client;
    private long _forwarded, _dropped;

    public LossyUdpRelay(int serverPort, double lossRate, int seed)
    {
        _server = new IPEndPoint(IPAddress.Loopback, serverPort);
        _lossRate = lossRate;
        _random = new Random(seed);
        _front.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _back.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Port = ((IPEndPoint)_front.LocalEndPoint!).Port;
        _forward = PumpAsync(_front, toServer: true);
        _backward = PumpAsync(_back, toServer: false);
    }

    public int Port { get; }
    public long Forwarded => Interlocked.Read(ref _forwarded);
    public long Dropped => Interlocked.Read(ref _dropped);

    private async Task PumpAsync(Socket from, bool toServer)
    {
        var buffer = new byte[2048];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await from.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }
            if (toServer) _client = (IPEndPoint)received.RemoteEndPoint;
            bool drop;
            lock (_randomLock) drop = _random.NextDouble() < _lossRate;
            if (drop)
            {
                Interlocked.Increment(ref _dropped);
                continue;
            }
            var target = toServer ? _server : _client;
            if (target is null) continue;
            var via = toServer ? _back : _front;
            try
            {
                await via.SendToAsync(buffer.AsMemory(0, received.ReceivedBytes), SocketFlags.None, target);
                Interlocked.Increment(ref _forwarded);
            }
            catch (SocketException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _front.Dispose();
        _back.Dispose();
        await Task.WhenAll(_forward, _backward);
        _stop.Dispose();
    }
}
