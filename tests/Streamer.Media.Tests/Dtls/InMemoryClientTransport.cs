using System.Collections.Concurrent;
using Org.BouncyCastle.Tls;

namespace Streamer.Media.Tests.Dtls;

/// <summary>
/// The client's end of an in-memory datagram link: what the server sends lands in
/// <see cref="Deliver"/>; what the client sends goes to the server's Receive.
/// </summary>
internal sealed class InMemoryClientTransport(Action<byte[]> toServer) : DatagramTransport
{
    private readonly BlockingCollection<byte[]> _inbound = new(new ConcurrentQueue<byte[]>(), 1024);
    private volatile bool _closed;

    public bool Closed => _closed;

    private int _largestFromServer;

    /// <summary>The size of the largest datagram the server sent.</summary>
    public int LargestDatagramFromServer => Volatile.Read(ref _largestFromServer);

    /// <summary>The server's send callback.</summary>
    public ValueTask Deliver(ReadOnlyMemory<byte> datagram)
    {
        int largest;
        while ((largest = Volatile.Read(ref _largestFromServer)) < datagram.Length)
            Interlocked.CompareExchange(ref _largestFromServer, datagram.Length, largest);
        try
        {
            _inbound.TryAdd(datagram.ToArray());
        }
        catch (InvalidOperationException)
        {
            // Shut: the client is gone, like a closed socket.
        }
        return ValueTask.CompletedTask;
    }

    public int GetReceiveLimit() => 1500;

    public int GetSendLimit() => 1200;

    public int Receive(byte[] buf, int off, int len, int waitMillis) => Receive(buf.AsSpan(off, len), waitMillis);

    public int Receive(Span<byte> buffer, int waitMillis)
    {
        if (_closed)
            throw new IOException("closed");
        if (!_inbound.TryTake(out byte[]? datagram, waitMillis == 0 ? Timeout.Infinite : waitMillis))
        {
            if (_inbound.IsAddingCompleted)
                throw new IOException("closed");
            return -1;
        }
        int length = Math.Min(buffer.Length, datagram.Length);
        datagram.AsSpan(0, length).CopyTo(buffer);
        return length;
    }

    public void Send(byte[] buf, int off, int len) => toServer(buf.AsSpan(off, len).ToArray());

    public void Send(ReadOnlySpan<byte> buffer) => toServer(buffer.ToArray());

    public void Close() => _closed = true;

    /// <summary>Wakes and fails a client blocked in Receive, so that its thread ends.</summary>
    public void Shut() => _inbound.CompleteAdding();
}
