using Streamer.Media.Rtcp;
using Streamer.Media.Rtp;

namespace Streamer.Media.Interceptors;

/// <summary>
/// Records the arrival of every packet carrying the transport-wide sequence number (on
/// streams that negotiated "transport-cc" and the extension) and sends TransportLayerCc
/// feedback every Interval covering everything since the previous feedback; gaps are
/// reported as not received. Arrival times are microseconds since the first packet.
/// </summary>
public sealed class TwccFeedbackGenerator : Interceptor
{
    private const int MaxSpan = 16384;
    private readonly TwccFeedbackOptions options;
    private readonly uint localSsrc;
    private readonly Lock gate = new();
    private readonly Dictionary<uint, int> extensionIds = [];
    private readonly SequenceUnwrapper sequences = new();
    private readonly SortedDictionary<long, long> arrivals = [];
    private DateTimeOffset? epoch;
    private DateTimeOffset lastSent = DateTimeOffset.MinValue;
    private long nextToReport = -1;
    private byte fbPktCount;
    private uint mediaSsrc;

    public TwccFeedbackGenerator(TwccFeedbackOptions options, InterceptorContext context)
    {
        this.options = options;
        localSsrc = context.LocalSsrc;
    }

    public TwccFeedbackStats Stats { get; } = new();

    public override void BindRemoteStream(StreamInfo info)
    {
        if (!info.HasFeedback("transport-cc") || !info.TryGetExtensionId(TransportSequenceNumber.Uri, out int id))
        {
            return;
        }
        lock (gate)
        {
            extensionIds[info.Ssrc] = id;
        }
    }

    public override void UnbindRemoteStream(uint ssrc)
    {
        lock (gate)
        {
            extensionIds.Remove(ssrc);
        }
    }

    public override void OnRtpReceived(in RtpHeader header, ReadOnlySpan<byte> rawPacket, DateTimeOffset arrival)
    {
        lock (gate)
        {
            if (!extensionIds.TryGetValue(header.Ssrc, out int id)
                || !header.TryGetExtension(rawPacket, id, out var value)
                || !TransportSequenceNumber.TryRead(value, out ushort seq))
            {
                return;
            }
            long extended = sequences.Unwrap(seq);
            if (extended < nextToReport)
            {
                return;
            }
            epoch ??= arrival;
            long micros = Math.Max(0, (arrival - epoch.Value).Ticks / TimeSpan.TicksPerMicrosecond);
            // A restored retransmission repeats its RTX packet's transport-wide number; the first arrival counts.
            if (!arrivals.TryAdd(extended, micros))
            {
                return;
            }
            mediaSsrc = header.Ssrc;
            Stats.AddPacket();
            while (arrivals.Count > options.MaxPending)
            {
                arrivals.Remove(arrivals.Keys.First());
            }
        }
    }

    public override void OnTick(DateTimeOffset now, IRtcpWriter writer)
    {
        var feedbacks = new List<TransportLayerCc>();
        lock (gate)
        {
            if (now - lastSent < options.Interval || arrivals.Count == 0)
            {
                return;
            }
            lastSent = now;
            long first = arrivals.Keys.First();
            long last = arrivals.Keys.Last();
            long start = nextToReport < 0 || last - nextToReport > MaxSpan ? first : nextToReport;
            var packets = new List<TwccPacketArrival>((int)(last - start + 1));
            for (long seq = start; seq <= last; seq++)
            {
                packets.Add(new TwccPacketArrival((ushort)seq, arrivals.TryGetValue(seq, out long t) ? t : null));
            }
            int offset = 0;
            while (offset < packets.Count)
            {
                var rest = packets.GetRange(offset, packets.Count - offset);
                var feedback = TransportLayerCc.Build(localSsrc, mediaSsrc, fbPktCount++, rest, out int consumed);
                feedbacks.Add(feedback);
                offset += Math.Max(1, consumed);
            }
            arrivals.Clear();
            nextToReport = last + 1;
        }
        foreach (var feedback in feedbacks)
        {
            writer.Write(feedback);
            Stats.AddFeedback();
        }
    }
}
