namespace Streamer.Media.WebRtc;

/// <summary>Counters of one audio sender; frames are 20 ms Opus frames.</summary>
public sealed class AudioSenderStats
{
    private long _packets, _bytes, _frames, _dropped, _interrupts, _underruns, _oversize, _queuedChunks, _queuedSamples;

    /// <summary>RTP packets handed to the transport (retransmissions not included).</summary>
    public long PacketsSent => Interlocked.Read(ref _packets);

    /// <summary>RTP bytes handed to the transport, headers included, before SRTP.</summary>
    public long BytesSent => Interlocked.Read(ref _bytes);

    public long FramesEncoded => Interlocked.Read(ref _frames);

    /// <summary>Frames of queued audio thrown away by <see cref="AudioSender.Interrupt"/>.</summary>
    public long FramesDroppedOnInterrupt => Interlocked.Read(ref _dropped);

    public long Interrupts => Interlocked.Read(ref _interrupts);

    /// <summary>Times the queue ran dry while a frame was due and a partial frame was padded with silence.</summary>
    public long Underruns => Interlocked.Read(ref _underruns);

    public long OversizePackets => Interlocked.Read(ref _oversize);

    /// <summary>Chunks waiting in the queue.</summary>
    public long QueuedChunks => Interlocked.Read(ref _queuedChunks);

    /// <summary>Input samples waiting in the queue.</summary>
    public long QueuedInputSamples => Interlocked.Read(ref _queuedSamples);

    internal void Sent(int bytes)
    {
        Interlocked.Increment(ref _packets);
        Interlocked.Add(ref _bytes, bytes);
    }

    internal void Encoded() => Interlocked.Increment(ref _frames);
    internal void Dropped(long frames) => Interlocked.Add(ref _dropped, frames);
    internal void Interrupted() => Interlocked.Increment(ref _interrupts);
    internal void Underrun() => Interlocked.Increment(ref _underruns);
    internal void Oversize() => Interlocked.Increment(ref _oversize);

    internal void Queued(int samples)
    {
        Interlocked.Increment(ref _queuedChunks);
        Interlocked.Add(ref _queuedSamples, samples);
    }

    internal void Dequeued(int samples)
    {
        Interlocked.Decrement(ref _queuedChunks);
        Interlocked.Add(ref _queuedSamples, -samples);
    }
}
