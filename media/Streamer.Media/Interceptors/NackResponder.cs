using Streamer.Media.Rtcp;
using Streamer.Media.Rtp;

namespace Streamer.Media.Interceptors;

/// <summary>
/// Keeps a bounded history of sent RTP packets for local streams that negotiated "nack" and
/// resends the ones a received NACK asks for (same SSRC and sequence number; no RTX).
/// </summary>
public sealed class NackResponder : Interceptor
{
    private readonly NackResponderOptions options;
    private readonly Lock gate = new();
    private readonly Dictionary<uint, History> streams = [];
    private IRtpWriter? writer;

    public NackResponder(NackResponderOptions options)
    {
        if (options.HistorySize is < 1 or > 0x8000 || (options.HistorySize & (options.HistorySize - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.HistorySize, "HistorySize is a power of two up to 32768.");
        }
        this.options = options;
    }

    public NackResponderStats Stats { get; } = new();

    public override void BindRtpWriter(IRtpWriter writer)
    {
        lock (gate)
        {
            this.writer = writer;
        }
    }

    public override void BindLocalStream(StreamInfo info)
    {
        if (!info.HasFeedback("nack"))
        {
            return;
        }
        lock (gate)
        {
            streams[info.Ssrc] = new History(options.HistorySize);
        }
    }

    public override void UnbindLocalStream(uint ssrc)
    {
        lock (gate)
        {
            streams.Remove(ssrc);
        }
    }

    public override void OnRtpSent(in RtpHeader header, ReadOnlySpan<byte> rawPacket, DateTimeOffset sent)
    {
        lock (gate)
        {
            if (streams.TryGetValue(header.Ssrc, out var history))
            {
                history.Store(header.SequenceNumber, rawPacket);
            }
        }
    }

    public override void OnRtcpReceived(IRtcpPacket packet, DateTimeOffset arrival)
    {
        if (packet is not TransportLayerNack nack)
        {
            return;
        }
        lock (gate)
        {
            if (!streams.TryGetValue(nack.MediaSsrc, out var history))
            {
                return;
            }
            Stats.AddNack();
            foreach (ushort seq in nack.GetSequenceNumbers())
            {
                if (writer is not null && history.TryGet(seq, out var stored))
                {
                    // Written under the lock: the slot may be reused by the next sent packet.
                    writer.Write(stored);
                    Stats.AddRetransmitted();
                }
                else
                {
                    Stats.AddMissing();
                }
            }
        }
    }

    private sealed class History(int size)
    {
        private readonly byte[]?[] packets = new byte[]?[size];
        private readonly int[] lengths = new int[size];
        private readonly int[] sequences = Enumerable.Repeat(-1, size).ToArray();

        public void Store(ushort seq, ReadOnlySpan<byte> packet)
        {
            int slot = seq & (packets.Length - 1);
            var buffer = packets[slot];
            if (buffer is null || buffer.Length < packet.Length)
            {
                buffer = new byte[packet.Length];
                packets[slot] = buffer;
            }
            packet.CopyTo(buffer);
            lengths[slot] = packet.Length;
            sequences[slot] = seq;
        }

        public bool TryGet(ushort seq, out ReadOnlySpan<byte> packet)
        {
            int slot = seq & (packets.Length - 1);
            if (sequences[slot] == seq && packets[slot] is byte[] buffer)
            {
                packet = buffer.AsSpan(0, lengths[slot]);
                return true;
            }
            packet = default;
            return false;
        }
    }
}
