namespace Streamer.Media.Ice;

/// <summary>Counts of what the ICE-lite agent saw, for metrics. Written under the agent's lock; reads may lag by a datagram.</summary>
public sealed class IceCounters
{
    private readonly long[] _failures = new long[Enum.GetValues<IceError>().Length];

    /// <summary>Datagrams handed to the agent.</summary>
    public long Requests { get; private set; }

    /// <summary>Valid Binding requests answered with a success response.</summary>
    public long Successes { get; private set; }

    /// <summary>Datagrams that were not valid checks, all reasons together.</summary>
    public long Failures { get; private set; }

    public long FailuresFor(IceError reason) => _failures[(int)reason];

    internal void Record(IceError result)
    {
        Requests++;
        if (result == IceError.None)
        {
            Successes++;
        }
        else
        {
            Failures++;
            _failures[(int)result]++;
        }
    }
}
