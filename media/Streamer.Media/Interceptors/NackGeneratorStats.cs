namespace Streamer.Media.Interceptors;

/// <summary>Counters of a <see cref="NackGenerator"/>, readable from any thread.</summary>
public sealed class NackGeneratorStats
{
    private long nacksSent;
    private long sequenceNumbersRequested;
    private long recovered;
    private long givenUp;

    /// <summary>NACK packets written.</summary>
    public long NacksSent => Interlocked.Read(ref nacksSent);
    /// <summary>Sequence numbers asked for, counting each retry.</summary>
    public long SequenceNumbersRequested => Interlocked.Read(ref sequenceNumbersRequested);
    /// <summary>Packets that arrived after being NACKed.</summary>
    public long Recovered => Interlocked.Read(ref recovered);
    /// <summary>Gaps abandoned as too old or retried too often.</summary>
    public long GivenUp => Interlocked.Read(ref givenUp);

    internal void AddNack(int sequenceNumbers)
    {
        Interlocked.Increment(ref nacksSent);
        Interlocked.Add(ref sequenceNumbersRequested, sequenceNumbers);
    }

    internal void AddRecovered() => Interlocked.Increment(ref recovered);

    internal void AddGivenUp() => Interlocked.Increment(ref givenUp);
}
