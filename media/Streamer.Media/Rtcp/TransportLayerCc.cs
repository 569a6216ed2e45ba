using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Streamer.Media.Rtcp;

/// <summary>
/// Transport-wide congestion control feedback
/// (draft-holmer-rmcat-transport-wide-cc-extensions-01 section 3.1), an RTPFB with FMT=15.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|  FMT=15 |    PT=205     |           length              |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                     SSRC of packet sender                     |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                      SSRC of media source                     |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |      base sequence number     |      packet status count      |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                 reference time                | fb pkt. count |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |          packet chunk         |         packet chunk          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// .                                                               .
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |         packet chunk          |  recv delta   |  recv delta   |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// .                                                               .
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Reference time is 24 bits in multiples of 64 ms. The packet is padded to a word with
/// the P bit and a trailing count, as libwebrtc does.
/// </summary>
public sealed class TransportLayerCc : IRtcpPacket
{
    public const int MicrosecondsPerReferenceTick = 64_000;
    private const int SenderOffset = 0;
    private const int MediaOffset = 4;
    private const int BaseSequenceOffset = 8;
    private const int StatusCountOffset = 10;
    private const int ReferenceTimeOffset = 12;
    private const int FbPktCountOffset = 15;
    private const int ChunksOffset = 16;
    private const int ReferenceTimeMask = 0xFFFFFF;
    private const int MaxSmallDelta = byte.MaxValue;

    public uint SenderSsrc { get; set; }
    public uint MediaSsrc { get; set; }
    public ushort BaseSequenceNumber { get; set; }
    public ushort PacketStatusCount { get; set; }
    /// <summary>24-bit reference time in 64 ms units.</summary>
    public int ReferenceTime { get; set; }
    public byte FbPktCount { get; set; }
    public TwccPacketChunk[] Chunks { get; set; } = [];
    public TwccRecvDelta[] RecvDeltas { get; set; } = [];

    private int UnpaddedSize
    {
        get
        {
            int size = RtcpHeader.Size + ChunksOffset + (Chunks.Length * TwccPacketChunk.Size);
            foreach (var delta in RecvDeltas)
            {
                size += delta.Size;
            }
            return size;
        }
    }

    public int MarshalSize => (UnpaddedSize + 3) & ~3;

    public int MarshalTo(Span<byte> destination)
    {
        int unpadded = UnpaddedSize;
        int size = (unpadded + 3) & ~3;
        RtcpReader.EnsureSpace(destination, size);
        new RtcpHeader(size != unpadded, RtcpFeedbackFormat.TransportCc, RtcpPacketType.TransportFeedback, (size / 4) - 1).MarshalTo(destination);
        var body = destination[RtcpHeader.Size..size];
        BinaryPrimitives.WriteUInt32BigEndian(body[SenderOffset..], SenderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(body[MediaOffset..], MediaSsrc);
        BinaryPrimitives.WriteUInt16BigEndian(body[BaseSequenceOffset..], BaseSequenceNumber);
        BinaryPrimitives.WriteUInt16BigEndian(body[StatusCountOffset..], PacketStatusCount);
        BinaryPrimitives.WriteUInt32BigEndian(body[ReferenceTimeOffset..], ((uint)(ReferenceTime & ReferenceTimeMask) << 8) | FbPktCount);
        int offset = ChunksOffset;
        foreach (var chunk in Chunks)
        {
            BinaryPrimitives.WriteUInt16BigEndian(body[offset..], chunk.Value);
            offset += TwccPacketChunk.Size;
        }
        foreach (var delta in RecvDeltas)
        {
            if (delta.Type == TwccPacketStatus.ReceivedLargeDelta)
            {
                BinaryPrimitives.WriteInt16BigEndian(body[offset..], checked((short)delta.Ticks));
                offset += 2;
            }
            else
            {
                body[offset++] = checked((byte)delta.Ticks);
            }
        }
        if (size != unpadded)
        {
            body[offset..].Clear();
            body[^1] = (byte)(size - unpadded);
        }
        return size;
    }

    /// <summary>
    /// Expands the chunks and deltas into one entry per sequence number with its arrival
    /// time in microseconds on the sender's feedback clock (reference time x 64 ms plus the
    /// running sum of deltas); lost packets have no arrival.
    /// </summary>
    public List<TwccPacketArrival> GetPacketResults()
    {
        var results = new List<TwccPacketArrival>(PacketStatusCount);
        long time = (long)ReferenceTime * MicrosecondsPerReferenceTick;
        int deltaIndex = 0;
        int seq = BaseSequenceNumber;
        foreach (var chunk in Chunks)
        {
            for (int i = 0; i < chunk.SymbolCount && results.Count < PacketStatusCount; i++)
            {
                var status = chunk.GetSymbol(i);
                long? arrival = null;
                if (status is TwccPacketStatus.ReceivedSmallDelta or TwccPacketStatus.ReceivedLargeDelta && deltaIndex < RecvDeltas.Length)
                {
                    time += RecvDeltas[deltaIndex++].Microseconds;
                    arrival = time;
                }
                else if (status == TwccPacketStatus.ReceivedWithoutDelta)
                {
                    arrival = time;
                }
                results.Add(new TwccPacketArrival((ushort)seq++, arrival));
            }
        }
        return results;
    }

    public static bool TryUnmarshal(ReadOnlySpan<byte> data, out TransportLayerCc packet, out ParseError error)
    {
        packet = null!;
        // Padding is not stripped: the status count says where the content ends, and some
        // senders set the P bit without a valid trailing count.
        if (!RtcpReader.TryReadFeedback(data, RtcpPacketType.TransportFeedback, RtcpFeedbackFormat.TransportCc, out var body, out error, stripPadding: false))
        {
            return false;
        }
        if (body.Length < ChunksOffset)
        {
            error = ParseError.BadLength;
            return false;
        }
        int statusCount = BinaryPrimitives.ReadUInt16BigEndian(body[StatusCountOffset..]);
        uint referenceWord = BinaryPrimitives.ReadUInt32BigEndian(body[ReferenceTimeOffset..]);
        var chunks = new List<TwccPacketChunk>();
        int offset = ChunksOffset;
        int described = 0;
        int smallDeltas = 0;
        int largeDeltas = 0;
        while (described < statusCount)
        {
            if (offset + TwccPacketChunk.Size > body.Length)
            {
                error = ParseError.BadLength;
                return false;
            }
            var chunk = new TwccPacketChunk(BinaryPrimitives.ReadUInt16BigEndian(body[offset..]));
            offset += TwccPacketChunk.Size;
            int take = Math.Min(chunk.SymbolCount, statusCount - described);
            if (chunk.IsRunLength)
            {
                if (chunk.RunSymbol == TwccPacketStatus.ReceivedSmallDelta)
                {
                    smallDeltas += take;
                }
                else if (chunk.RunSymbol == TwccPacketStatus.ReceivedLargeDelta)
                {
                    largeDeltas += take;
                }
            }
            else
            {
                for (int i = 0; i < take; i++)
                {
                    var symbol = chunk.GetSymbol(i);
                    smallDeltas += symbol == TwccPacketStatus.ReceivedSmallDelta ? 1 : 0;
                    largeDeltas += symbol == TwccPacketStatus.ReceivedLargeDelta ? 1 : 0;
                }
            }
            described += take;
            chunks.Add(chunk);
        }
        if (offset + smallDeltas + (largeDeltas * 2) > body.Length)
        {
            error = ParseError.BadLength;
            return false;
        }
        var deltas = new TwccRecvDelta[smallDeltas + largeDeltas];
        int d = 0;
        int remaining = statusCount;
        foreach (var chunk in chunks)
        {
            int take = Math.Min(chunk.SymbolCount, remaining);
            remaining -= take;
            for (int i = 0; i < take; i++)
            {
                var symbol = chunk.GetSymbol(i);
                if (symbol == TwccPacketStatus.ReceivedSmallDelta)
                {
                    deltas[d++] = new TwccRecvDelta(symbol, body[offset]);
                    offset += 1;
                }
                else if (symbol == TwccPacketStatus.ReceivedLargeDelta)
                {
                    deltas[d++] = new TwccRecvDelta(symbol, BinaryPrimitives.ReadInt16BigEndian(body[offset..]));
                    offset += 2;
                }
            }
        }
        packet = new TransportLayerCc
        {
            SenderSsrc = BinaryPrimitives.ReadUInt32BigEndian(body[SenderOffset..]),
            MediaSsrc = BinaryPrimitives.ReadUInt32BigEndian(body[MediaOffset..]),
            BaseSequenceNumber = BinaryPrimitives.ReadUInt16BigEndian(body[BaseSequenceOffset..]),
            PacketStatusCount = (ushort)statusCount,
            ReferenceTime = (int)(referenceWord >> 8),
            FbPktCount = body[FbPktCountOffset],
            Chunks = [.. chunks],
            RecvDeltas = deltas,
        };
        return true;
    }

    /// <summary>
    /// Builds feedback for <paramref name="packets"/>, given in transport sequence order;
    /// sequence numbers skipped in the input are reported as not received. Arrival times are
    /// microseconds on the receiver's clock (non-negative). Stops early when a delta does not
    /// fit 16 bits or the status count would overflow; <paramref name="consumed"/> says how many
    /// inputs the packet covers, and the rest belong in the next feedback.
    /// </summary>
    public static TransportLayerCc Build(uint senderSsrc, uint mediaSsrc, byte fbPktCount,
        IReadOnlyList<TwccPacketArrival> packets, out int consumed)
    {
        if (packets.Count == 0)
        {
            throw new ArgumentException("Feedback needs at least one packet.", nameof(packets));
        }
        long referenceTicks = 0;
        foreach (var p in packets)
        {
            if (p.ArrivalMicroseconds is long first)
            {
                if (first < 0)
                {
                    throw new ArgumentException("Arrival times are non-negative.", nameof(packets));
                }
                referenceTicks = first / MicrosecondsPerReferenceTick;
                break;
            }
        }
        long lastTime = referenceTicks * MicrosecondsPerReferenceTick;
        ushort baseSequence = packets[0].SequenceNumber;
        var encoder = new ChunkEncoder();
        var deltas = new List<TwccRecvDelta>();
        int count = 0;
        consumed = 0;
        foreach (var p in packets)
        {
            int gap = (ushort)(p.SequenceNumber - (ushort)(baseSequence + count));
            if (gap >= 0x8000)
            {
                throw new ArgumentException("Sequence numbers must increase.", nameof(packets));
            }
            TwccRecvDelta? delta = null;
            if (p.ArrivalMicroseconds is long arrival)
            {
                long ticks = (arrival - lastTime) / TwccRecvDelta.MicrosecondsPerTick;
                if (ticks is < short.MinValue or > short.MaxValue)
                {
                    break;
                }
                delta = new TwccRecvDelta(ticks is >= 0 and <= MaxSmallDelta ? TwccPacketStatus.ReceivedSmallDelta : TwccPacketStatus.ReceivedLargeDelta, (int)ticks);
            }
            if (count + gap + 1 > ushort.MaxValue)
            {
                break;
            }
            for (int i = 0; i < gap; i++)
            {
                encoder.Add(TwccPacketStatus.NotReceived);
            }
            count += gap + 1;
            if (delta is TwccRecvDelta value)
            {
                encoder.Add(value.Type);
                deltas.Add(value);
                lastTime += value.Microseconds;
            }
            else
            {
                encoder.Add(TwccPacketStatus.NotReceived);
            }
            consumed++;
        }
        return new TransportLayerCc
        {
            SenderSsrc = senderSsrc,
            MediaSsrc = mediaSsrc,
            BaseSequenceNumber = baseSequence,
            PacketStatusCount = (ushort)count,
            ReferenceTime = (int)(referenceTicks & ReferenceTimeMask),
            FbPktCount = fbPktCount,
            Chunks = encoder.Finish(),
            RecvDeltas = [.. deltas],
        };
    }

    /// <summary>
    /// Greedy chunk packing: run lengths for uniform stretches, one-bit vectors when 14
    /// mixed symbols have no large delta, two-bit vectors of 7 otherwise.
    /// </summary>
    private sealed class ChunkEncoder
    {
        private readonly List<TwccPacketChunk> chunks = [];
        private readonly List<TwccPacketStatus> pending = [];
        private bool hasLargeDelta;
        private bool hasDifferentTypes;

        public void Add(TwccPacketStatus status)
        {
            if (!CanAdd(status))
            {
                Emit();
            }
            if (pending.Count > 0 && pending[0] != status)
            {
                hasDifferentTypes = true;
            }
            hasLargeDelta |= status == TwccPacketStatus.ReceivedLargeDelta;
            pending.Add(status);
        }

        public TwccPacketChunk[] Finish()
        {
            while (pending.Count > 0)
            {
                Emit();
            }
            return [.. chunks];
        }

        private bool CanAdd(TwccPacketStatus status)
        {
            if (pending.Count < TwccPacketChunk.TwoBitCapacity)
            {
                return true;
            }
            if (pending.Count < TwccPacketChunk.OneBitCapacity && !hasLargeDelta && status != TwccPacketStatus.ReceivedLargeDelta)
            {
                return true;
            }
            return pending.Count < TwccPacketChunk.MaxRunLength && !hasDifferentTypes && status == pending[0];
        }

        private void Emit()
        {
            if (!hasDifferentTypes)
            {
                chunks.Add(TwccPacketChunk.RunLengthChunk(pending[0], pending.Count));
                Reset(0);
                return;
            }
            if (pending.Count == TwccPacketChunk.OneBitCapacity && !hasLargeDelta)
            {
                chunks.Add(TwccPacketChunk.StatusVector(CollectionsMarshal.AsSpan(pending), twoBit: false));
                Reset(pending.Count);
                return;
            }
            int take = Math.Min(TwccPacketChunk.TwoBitCapacity, pending.Count);
            chunks.Add(TwccPacketChunk.StatusVector(CollectionsMarshal.AsSpan(pending)[..take], twoBit: true));
            Reset(take);
        }

        private void Reset(int removed)
        {
            pending.RemoveRange(0, removed == 0 ? pending.Count : removed);
            hasDifferentTypes = false;
            hasLargeDelta = false;
            foreach (var s in pending)
            {
                hasDifferentTypes |= s != pending[0];
                hasLargeDelta |= s == TwccPacketStatus.ReceivedLargeDelta;
            }
        }
    }
}
