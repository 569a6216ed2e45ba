using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Streamer.Media.WebRtc;

/// <summary>
/// Reads a peer's UDP socket and stamps each datagram the moment the read returns, then queues
/// it for processing. Transport-wide congestion feedback reports these stamps and the sender's
/// bandwidth estimate trusts their spacing: reading on its own loop keeps decryption, the peer
/// lock and a slow (cold, just-compiled) processing path out of them.
/// </summary>
internal sealed class DatagramReader
{
    private readonly Socket _socket;
    private readonly int _maxDatagramSize;
    private readonly TimeProvider _time;
    private readonly WebRtcPeerStats _stats;
    private readonly Channel<ReceivedDatagram> _queue;

    public DatagramReader(Socket socket, int maxDatagramSize, int queue, TimeProvider time, WebRtcPeerStats stats)
    {
        _socket = socket;
        _maxDatagramSize = maxDatagramSize;
        _time = time;
        _stats = stats;
        // Waiting would stall the reads and bring back late stamps; a datagram that does not fit is lost and counted.
        // Not single-reader: Discard may run while the processing loop is still winding down.
        _queue = Channel.CreateBounded<ReceivedDatagram>(
            new BoundedChannelOptions(queue) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = false, SingleWriter = true },
            dropped =>
            {
                Return(dropped);
                _stats.Reject("udp", "receive-queue-full (WebRtc:ReceiveQueueDatagrams)");
            });
    }

    /// <summary>Datagrams in arrival order; completes when reading stops.</summary>
    public ChannelReader<ReceivedDatagram> Datagrams => _queue.Reader;

    public static void Return(ReceivedDatagram datagram) => ArrayPool<byte>.Shared.Return(datagram.Buffer);

    public async Task RunAsync(CancellationToken stop)
    {
        EndPoint any = _socket.AddressFamily == AddressFamily.InterNetworkV6
            ? new IPEndPoint(IPAddress.IPv6Any, 0)
            : new IPEndPoint(IPAddress.Any, 0);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(_maxDatagramSize);
                SocketReceiveFromResult received;
                try
                {
                    received = await _socket.ReceiveFromAsync(buffer.AsMemory(0, _maxDatagramSize), SocketFlags.None, any, stop).ConfigureAwait(false);
                }
                catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    _stats.Reject("udp", ex.SocketErrorCode.ToString());
                    continue;
                }
                catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    break;
                }
                var arrival = _time.GetUtcNow();
                _queue.Writer.TryWrite(new ReceivedDatagram(buffer, received.ReceivedBytes, (IPEndPoint)received.RemoteEndPoint, arrival));
            }
        }
        finally
        {
            _queue.Writer.TryComplete();
        }
    }

    /// <summary>Returns the buffers of datagrams nobody will process.</summary>
    public void Discard()
    {
        while (_queue.Reader.TryRead(out var datagram)) Return(datagram);
    }
}
