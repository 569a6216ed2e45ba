using Streamer.Media.Rtcp;
using Streamer.Media.Rtp;

namespace Streamer.Media.Interceptors;

/// <summary>
/// Asks the sender to retransmit missing RTP packets (generic NACK, RFC 4585 6.2.1) for
/// streams that negotiated "nack". Each tick past the interval, every missing sequence
/// number in the receive log is NACKed again until it arrives, grows older than MaxAge,
/// was asked for MaxRetries times, or slides out of the log.
/// </summary>
public sealed class NackGenerator : Interceptor
{
    private readonly NackGeneratorOptions options;
    private readonly uint localSsrc;
    private readonly Lock gate = new();
    private readonly Dictionary<uint, StreamState> streams = [];
    private readonly List<ushort> missing = [];
    private readonly List<ushort> toRequest = [];
    private DateTimeOffset lastSent = DateTimeOffset.MinValue;

    public NackGenerator(NackGeneratorOptions options, InterceptorContext context)
    {
        this.options = options;
        localSsrc = context.LocalSsrc;
        _ = new ReceiveLog(options.LogSize); // validate the size up front
    }

    public NackGeneratorStats Stats { get; } = new();

    public override void BindRemoteStream(StreamInfo info)
    {
        if (!info.HasFeedback("nack"))
        {
            return;
        }
        lock (gate)
        {
            streams[info.Ssrc] = new StreamState(new ReceiveLog(options.LogSize));
        }
    }

    public override void UnbindRemoteStream(uint ssrc)
    {
        lock (gate)
        {
            streams.Remove(ssrc);
        }
    }

    public override void OnRtpReceived(in RtpHeader header, ReadOnlySpan<byte> rawPacket, DateTimeOffset arrival)
    {
        lock (gate)
        {
            if (!streams.TryGetValue(header.Ssrc, out var stream))
            {
                return;
            }
            if (stream.Pending.Remove(header.SequenceNumber, out var entry) && entry.Requests > 0)
            {
                Stats.AddRecovered();
            }
            stream.Log.Add(header.SequenceNumber);
        }
    }

    public override void OnTick(DateTimeOffset now, IRtcpWriter writer)
    {
        lock (gate)
        {
            if (now - lastSent < options.Interval)
            {
                return;
            }
            lastSent = now;
            foreach (var (ssrc, stream) in streams)
            {
                missing.Clear();
                toRequest.Clear();
                stream.Log.AddMissing(missing, options.SkipLastN);
                PruneResolved(stream);
                foreach (ushort seq in missing)
                {
                    if (!stream.Pending.TryGetValue(seq, out var entry))
                    {
                        entry = new PendingEntry(now, 0, false);
                    }
                    bool expired = now - entry.FirstMissing > options.MaxAge || entry.Requests >= options.MaxRetries;
                    if (expired)
                    {
                        if (!entry.GivenUp)
                        {
                            Stats.AddGivenUp();
                            entry = entry with { GivenUp = true };
                        }
                    }
                    else
                    {
                        entry = entry with { Requests = entry.Requests + 1 };
                        toRequest.Add(seq);
                    }
                    stream.Pending[seq] = entry;
                }
                if (toRequest.Count > 0)
                {
                    writer.Write(TransportLayerNack.FromSequenceNumbers(localSsrc, ssrc, toRequest));
                    Stats.AddNack(toRequest.Count);
                }
            }
        }
    }

    /// <summary>Forgets entries that slid out of the log; arrivals were removed as they came.</summary>
    private void PruneResolved(StreamState stream)
    {
        if (stream.Pending.Count == 0)
        {
            return;
        }
        var stillMissing = new HashSet<ushort>(missing);
        foreach (ushort seq in stream.Pending.Keys.ToArray())
        {
            if (!stillMissing.Contains(seq))
            {
                stream.Pending.Remove(seq);
            }
        }
    }

    private sealed record StreamState(ReceiveLog Log)
    {
        public Dictionary<ushort, PendingEntry> Pending { get; } = [];
    }

    private readonly record struct PendingEntry(DateTimeOffset FirstMissing, int Requests, bool GivenUp);
}
