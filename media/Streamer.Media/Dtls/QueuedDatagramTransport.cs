using System.Collections.Concurrent;
using Org.BouncyCastle.Tls;

namespace Streamer.Media.Dtls;

/// <summary>
/// BouncyCastle's blocking <see cref="DatagramTransport"/> over a bounded queue that a socket
/// demultiplexer fills, and a send callback that writes to the shared socket.
/// </summary>
internal sealed class QueuedDatagramTransport : DatagramTransport
{
    // Records are at most 2^14 bytes of plaintext plus expansion (RFC 6347 4.1); a datagram
    // larger than this is cut short and then discarded by the record layer.
    private const int ReceiveLimit = (1 << 14) + 2048;

    private readonly BlockingCollection<byte[]> _queue;
    private readonly Func<ReadOnlyMemory<byte>, ValueTask> _send;
    private readonly int _sendLimit;
    private volatile bool _closedByProtocol;
    private long _dropped;
    private long _malformed;
    private long _sendFailures;

    public QueuedDatagramTransport(int capacity, int mtu, Func<ReadOnlyMemory<byte>, ValueTask> send)
    {
        _queue = new BlockingCollection<byte[]>(new ConcurrentQueue<byte[]>(), capacity);
        _send = send;
        _sendLimit = mtu;
    }

    /// <summary>Datagrams dropped because the queue was full or already shut.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Datagrams refused because they are not whole DTLS records.</summary>
    public long Malformed => Interlocked.Read(ref _malformed);

    /// <summary>Sends whose callback threw; the peer's retransmission covers them.</summary>
    public long SendFailures => Interlocked.Read(ref _sendFailures);

    /// <summary>True once BouncyCastle closed the transport (close_notify sent or received, or failure).</summary>
    public bool ClosedByProtocol => _closedByProtocol;

    /// <summary>Queues a copy of a well-framed datagram; never blocks or throws.</summary>
    public void Enqueue(ReadOnlySpan<byte> datagram)
    {
        if (!DtlsRecord.TryValidateDatagram(datagram, out _, out _))
        {
            Interlocked.Increment(ref _malformed);
            return;
        }

        try
        {
            if (_queue.TryAdd(datagram.ToArray()))
                return;
        }
        catch (InvalidOperationException)
        {
            // Adding completed: the association is over.
        }
        Interlocked.Increment(ref _dropped);
    }

    /// <summary>
    /// Wakes a blocked receive and makes every later one fail, which is how a handshake or a
    /// reader blocked inside BouncyCastle is stopped from another thread.
    /// </summary>
    public void Shut() => _queue.CompleteAdding();

    public int GetReceiveLimit() => ReceiveLimit;

    public int GetSendLimit() => _sendLimit;

    public int Receive(byte[] buf, int off, int len, int waitMillis) =>
        Receive(buf.AsSpan(off, len), waitMillis);

    public int Receive(Span<byte> buffer, int waitMillis)
    {
        if (_closedByProtocol)
            throw new IOException("DTLS transport is closed.");

        // BouncyCastle reads a wait of zero as "no timeout".
        int timeout = waitMillis == 0 ? Timeout.Infinite : waitMillis;
        if (!_queue.TryTake(out byte[]? datagram, timeout))
        {
            if (_queue.IsAddingCompleted)
                throw new IOException("DTLS transport is shut.");
            return -1;
        }

        int length = Math.Min(datagram.Length, buffer.Length);
        datagram.AsSpan(0, length).CopyTo(buffer);
        return length;
    }

    public void Send(byte[] buf, int off, int len) => Send(buf.AsSpan(off, len));

    public void Send(ReadOnlySpan<byte> buffer)
    {
        // BouncyCastle reuses its buffer, and the callback may complete later.
        byte[] copy = buffer.ToArray();
        try
        {
            ValueTask sending = _send(copy);
            if (!sending.IsCompletedSuccessfully)
                sending.AsTask().GetAwaiter().GetResult();
        }
        catch (Exception)
        {
            // A lost datagram is what DTLS retransmission is for; a send error must not abort it.
            Interlocked.Increment(ref _sendFailures);
        }
    }

    public void Close() => _closedByProtocol = true;
}
