using Streamer.Media.Rtcp;

namespace Streamer.Media.Interceptors;

/// <summary>
/// Turns the decoder's keyframe requests into PLI ("nack pli" negotiated) or FIR (only
/// "ccm fir"), at most one per stream per MinInterval. Sends at once through the bound RTCP
/// writer, or on the next tick when none is bound.
/// </summary>
public sealed class KeyframeRequester : Interceptor
{
    private readonly KeyframeRequesterOptions options;
    private readonly TimeProvider time;
    private readonly uint localSsrc;
    private readonly Lock gate = new();
    private readonly Dictionary<uint, StreamState> streams = [];
    private readonly List<IRtcpPacket> queued = [];
    private IRtcpWriter? writer;

    public KeyframeRequester(KeyframeRequesterOptions options, InterceptorContext context)
    {
        this.options = options;
        time = context.Time;
        localSsrc = context.LocalSsrc;
    }

    public KeyframeRequesterStats Stats { get; } = new();

    public override void BindRtcpWriter(IRtcpWriter writer)
    {
        lock (gate)
        {
            this.writer = writer;
        }
    }

    public override void BindRemoteStream(StreamInfo info)
    {
        bool pli = info.HasFeedback("nack pli");
        if (!pli && !info.HasFeedback("ccm fir"))
        {
            return;
        }
        lock (gate)
        {
            streams[info.Ssrc] = new StreamState { UseFir = !pli };
        }
    }

    public override void UnbindRemoteStream(uint ssrc)
    {
        lock (gate)
        {
            streams.Remove(ssrc);
        }
    }

    public override void RequestKeyframe(uint ssrc)
    {
        IRtcpPacket packet;
        IRtcpWriter? target;
        lock (gate)
        {
            if (!streams.TryGetValue(ssrc, out var stream))
            {
                return;
            }
            Stats.AddRequest();
            var now = time.GetUtcNow();
            if (stream.LastSent is DateTimeOffset last && now - last < options.MinInterval)
            {
                Stats.AddRateLimited();
                return;
            }
            stream.LastSent = now;
            if (stream.UseFir)
            {
                packet = new FullIntraRequest { SenderSsrc = localSsrc, MediaSsrc = 0, Entries = [new FirEntry(ssrc, stream.FirSequence++)] };
                Stats.AddFir();
            }
            else
            {
                packet = new PictureLossIndication { SenderSsrc = localSsrc, MediaSsrc = ssrc };
                Stats.AddPli();
            }
            target = writer;
            if (target is null)
            {
                queued.Add(packet);
                return;
            }
        }
        target.Write(packet);
    }

    public override void OnTick(DateTimeOffset now, IRtcpWriter writer)
    {
        IRtcpPacket[] pending;
        lock (gate)
        {
            if (queued.Count == 0)
            {
                return;
            }
            pending = [.. queued];
            queued.Clear();
        }
        foreach (var packet in pending)
        {
            writer.Write(packet);
        }
    }

    private sealed class StreamState
    {
        public bool UseFir { get; init; }
        public DateTimeOffset? LastSent { get; set; }
        public byte FirSequence { get; set; }
    }
}
