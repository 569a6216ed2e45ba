using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace Streamer.Media.Codecs;

/// <summary>
/// Jitter buffer and frame reassembly for one RTP video stream. Packets are copied into pooled
/// storage, reordered by sequence number, and handed out as whole frames in decode order.
/// A frame runs from a frame-start packet to the marker (or to the last packet before the
/// timestamp changes). A hole in the sequence numbers is reported through
/// <see cref="TakeMissing"/> so NACKs can be sent, and blocks the frame for at most
/// <see cref="FrameAssemblerOptions.MaxWait"/> of arrival time; then the frame is given up,
/// every following frame is dropped until the next keyframe, and a keyframe request is raised
/// (<see cref="TakeKeyframeRequest"/>) so a PLI can be sent. Time only moves with the arrival
/// times passed in, so behaviour is reproducible. Not thread-safe: one receive loop owns it.
/// </summary>
public sealed class FrameAssembler : IDisposable
{
    // Extended sequence numbers start here so that unwrapping backwards stays positive.
    private const long SequenceBase = 1L << 32;

    private struct Slot
    {
        public long Sequence;
        public uint Timestamp;
        public bool Marker;
        public RtpPayloadFlags Flags;
        public byte[]? Buffer;
        public int Length;
        public DateTimeOffset Arrival;
    }

    private enum ScanResult
    {
        Complete,
        Incomplete,
        Gap,
        TooLarge,
    }

    private readonly RtpDepacketizer _depacketizer;
    private readonly FrameAssemblerOptions _options;
    private readonly Slot[] _slots;
    private readonly Queue<EncodedFrame> _ready = new();
    private readonly List<long> _missing = [];
    private readonly List<ReadOnlyMemory<byte>> _framePayloads = [];
    private readonly PooledByteWriter _writer = new();
    private bool _started;
    private bool _disposed;
    private long _head;
    private long _floor;
    private long _highest;
    private bool _awaitingKeyframe = true;
    private bool _keyframeRequestPending;
    private DateTimeOffset _now;
    private DateTimeOffset _nextKeyframeRequest;
    private long _blockedAt = -1;
    private DateTimeOffset _blockedSince;

    public FrameAssembler(RtpDepacketizer depacketizer, FrameAssemblerOptions? options = null)
    {
        _depacketizer = depacketizer;
        _options = options ?? new FrameAssemblerOptions();
        if (_options.MaxPackets < 16)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MaxPackets must be at least 16.");
        }
        _slots = new Slot[_options.MaxPackets];
    }

    public FrameAssemblerStats Stats { get; } = new();

    /// <summary>Why the last payload or frame was rejected.</summary>
    public ParseError LastError { get; private set; }

    /// <summary>True until a keyframe has been emitted, and again after a frame was given up.</summary>
    public bool IsAwaitingKeyframe => _awaitingKeyframe;

    public int ReadyCount => _ready.Count;

    /// <summary>
    /// Adds one RTP packet's payload (copied). Returns false when it is rejected: malformed
    /// (see <see cref="LastError"/>), a duplicate, too late, or too large.
    /// </summary>
    public bool Insert(ushort sequenceNumber, uint timestamp, bool marker, ReadOnlySpan<byte> payload, DateTimeOffset arrival)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (arrival > _now)
        {
            _now = arrival;
        }

        // An empty payload is a padding-only packet (bandwidth probing without RTX): it holds a
        // sequence number between frames and belongs to no frame.
        var flags = RtpPayloadFlags.None;
        var error = ParseError.None;
        if (!payload.IsEmpty && !_depacketizer.TryInspect(payload, out flags, out error))
        {
            Stats.PacketsRejected++;
            LastError = error;
            Process();
            return false;
        }
        if (payload.Length > _options.MaxFrameBytes)
        {
            Stats.PacketsOverflowed++;
            Process();
            return false;
        }

        long sequence;
        if (!_started)
        {
            _started = true;
            sequence = SequenceBase + sequenceNumber;
            _head = _highest = sequence;
            _floor = 0;
            _nextKeyframeRequest = arrival + _options.MaxWait;
        }
        else
        {
            sequence = _highest + (short)(sequenceNumber - (ushort)_highest);
            if (sequence < _head)
            {
                // While waiting for a keyframe nothing earlier is owed to the decoder, so a
                // reordered earlier packet (often the keyframe's own first one) is still welcome.
                if (_awaitingKeyframe && sequence >= _floor && _highest - sequence < _slots.Length)
                {
                    _head = sequence;
                }
                else
                {
                    Stats.PacketsLate++;
                    return false;
                }
            }
        }

        if (sequence - _head >= _slots.Length)
        {
            if (sequence - _highest >= _slots.Length)
            {
                // A jump this far is a restarted sender, not loss: start over from here.
                DropRange(_head, _highest, overflow: false);
                _head = _floor = sequence;
            }
            else
            {
                var newHead = sequence - _slots.Length + 1;
                DropRange(_head, newHead - 1, overflow: true);
                _head = _floor = newHead;
            }
            _blockedAt = -1;
            _missing.Clear();
            RequestKeyframe();
        }
        else if (sequence > _highest + 1)
        {
            ReportMissing(_highest + 1, sequence - 1);
        }

        ref var slot = ref SlotOf(sequence);
        if (slot.Buffer is not null)
        {
            if (slot.Sequence == sequence)
            {
                Stats.PacketsDuplicate++;
                return false;
            }
            Release(ref slot);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, payload.Length));
        payload.CopyTo(buffer);
        slot = new Slot
        {
            Sequence = sequence,
            Timestamp = timestamp,
            Marker = marker,
            Flags = flags,
            Buffer = buffer,
            Length = payload.Length,
            Arrival = arrival,
        };
        if (sequence > _highest)
        {
            _highest = sequence;
        }

        Process();
        return true;
    }

    /// <summary>Lets time pass without a packet, so a blocked frame can be given up.</summary>
    public void Advance(DateTimeOffset now)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (now > _now)
        {
            _now = now;
        }
        Process();
    }

    /// <summary>Takes the next finished frame in decode order; the caller disposes it.</summary>
    public bool TryDequeue([NotNullWhen(true)] out EncodedFrame? frame) => _ready.TryDequeue(out frame);

    /// <summary>
    /// Moves the sequence numbers found missing since the last call, and still missing, into
    /// <paramref name="destination"/>. Returns how many were added.
    /// </summary>
    public int TakeMissing(List<ushort> destination)
    {
        var count = 0;
        foreach (var sequence in _missing)
        {
            if (sequence >= _head && !IsHeld(sequence))
            {
                destination.Add((ushort)sequence);
                count++;
            }
        }
        _missing.Clear();
        return count;
    }

    /// <summary>True once for each keyframe request raised since the last call.</summary>
    public bool TakeKeyframeRequest()
    {
        var pending = _keyframeRequestPending;
        _keyframeRequestPending = false;
        return pending;
    }

    private void Process()
    {
        while (_started && _head <= _highest)
        {
            if (IsHeld(_head) && SlotOf(_head).Length == 0)
            {
                Release(ref SlotOf(_head));
                _head = _floor = _head + 1;
                _blockedAt = -1;
                continue;
            }

            var start = _head;
            if (_awaitingKeyframe)
            {
                if (_now >= _nextKeyframeRequest)
                {
                    RequestKeyframe();
                }
                start = FindKeyframeStart();
                if (start < 0)
                {
                    return;
                }
            }

            switch (Scan(start, out var end))
            {
                case ScanResult.Incomplete:
                    return;
                case ScanResult.Gap:
                    if (_blockedAt != start)
                    {
                        _blockedAt = start;
                        _blockedSince = _now;
                    }
                    if (_now - _blockedSince < _options.MaxWait)
                    {
                        return;
                    }
                    GiveUp(start);
                    break;
                case ScanResult.TooLarge:
                    Stats.PacketsOverflowed++;
                    GiveUp(start);
                    break;
                default:
                    Emit(start, end);
                    break;
            }
        }
    }

    private ScanResult Scan(long start, out long end)
    {
        end = -1;
        if (!IsHeld(start))
        {
            return ScanResult.Gap;
        }

        var timestamp = SlotOf(start).Timestamp;
        long bytes = 0;
        for (var sequence = start; ; sequence++)
        {
            if (sequence > _highest)
            {
                return ScanResult.Incomplete;
            }
            if (!IsHeld(sequence))
            {
                return ScanResult.Gap;
            }

            ref var slot = ref SlotOf(sequence);
            if (slot.Timestamp != timestamp)
            {
                // The sender left the marker off; the timestamp change still ends the frame.
                end = sequence - 1;
                return ScanResult.Complete;
            }
            bytes += slot.Length;
            if (bytes > _options.MaxFrameBytes)
            {
                return ScanResult.TooLarge;
            }
            if (slot.Marker)
            {
                end = sequence;
                return ScanResult.Complete;
            }
        }
    }

    private void Emit(long start, long end)
    {
        DropRange(_head, start - 1, overflow: false);
        ref var first = ref SlotOf(start);
        var timestamp = first.Timestamp;
        var firstArrival = first.Arrival;
        var ok = (first.Flags & RtpPayloadFlags.FrameStart) != 0;
        var isKeyframe = false;
        if (ok)
        {
            _framePayloads.Clear();
            for (var sequence = start; sequence <= end; sequence++)
            {
                ref var slot = ref SlotOf(sequence);
                _framePayloads.Add(slot.Buffer.AsMemory(0, slot.Length));
                if (slot.Arrival < firstArrival)
                {
                    firstArrival = slot.Arrival;
                }
            }
            _writer.Clear();
            ok = _depacketizer.TryAssemble(_framePayloads, _writer, out isKeyframe, out var error);
            if (!ok)
            {
                LastError = error;
            }
            _framePayloads.Clear();
        }
        else
        {
            LastError = ParseError.Malformed;
        }

        for (var sequence = start; sequence <= end; sequence++)
        {
            Release(ref SlotOf(sequence));
        }
        _head = _floor = end + 1;
        _blockedAt = -1;

        if (!ok)
        {
            Stats.FramesDropped++;
            _writer.Clear();
            RequestKeyframe();
            return;
        }
        if (_awaitingKeyframe && !isKeyframe)
        {
            Stats.FramesDropped++;
            _writer.Clear();
            return;
        }

        if (_ready.Count >= _options.MaxReadyFrames)
        {
            if (!isKeyframe)
            {
                // Nobody is draining; a delta frame cannot follow a dropped one, so resync.
                Stats.FramesDropped++;
                _writer.Clear();
                RequestKeyframe();
                return;
            }
            while (_ready.TryDequeue(out var stale))
            {
                stale.Dispose();
                Stats.FramesDropped++;
            }
        }

        _awaitingKeyframe = false;
        _ready.Enqueue(_writer.ToFrame(_depacketizer.Codec, timestamp, isKeyframe, firstArrival));
        Stats.FramesEmitted++;
    }

    private void GiveUp(long start)
    {
        Stats.FramesDropped++;
        DropRange(_head, start, overflow: false);
        _head = _floor = start + 1;
        _blockedAt = -1;
        RequestKeyframe();
    }

    private void RequestKeyframe()
    {
        _awaitingKeyframe = true;
        _keyframeRequestPending = true;
        _nextKeyframeRequest = _now + _options.KeyframeRequestInterval;
        Stats.KeyframeRequests++;
    }

    private long FindKeyframeStart()
    {
        for (var sequence = _head; sequence <= _highest; sequence++)
        {
            if (IsHeld(sequence) && (SlotOf(sequence).Flags & RtpPayloadFlags.KeyframeStart) != 0)
            {
                return sequence;
            }
        }
        return -1;
    }

    private void ReportMissing(long from, long to)
    {
        if (_missing.Count + (to - from + 1) > _slots.Length)
        {
            _missing.Clear();
        }
        for (var sequence = from; sequence <= to; sequence++)
        {
            _missing.Add(sequence);
        }
    }

    private void DropRange(long from, long to, bool overflow)
    {
        var lastTimestamp = 0u;
        var any = false;
        for (var sequence = from; sequence <= to; sequence++)
        {
            if (!IsHeld(sequence))
            {
                continue;
            }
            ref var slot = ref SlotOf(sequence);
            if (slot.Length > 0 && (!any || slot.Timestamp != lastTimestamp))
            {
                Stats.FramesDropped++;
                lastTimestamp = slot.Timestamp;
                any = true;
            }
            if (overflow)
            {
                Stats.PacketsOverflowed++;
            }
            Release(ref slot);
        }
    }

    private ref Slot SlotOf(long sequence) => ref _slots[(int)(sequence % _slots.Length)];

    private bool IsHeld(long sequence)
    {
        ref var slot = ref SlotOf(sequence);
        return slot.Buffer is not null && slot.Sequence == sequence;
    }

    private static void Release(ref Slot slot)
    {
        if (slot.Buffer is { } buffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        slot = default;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        for (var i = 0; i < _slots.Length; i++)
        {
            Release(ref _slots[i]);
        }
        while (_ready.TryDequeue(out var frame))
        {
            frame.Dispose();
        }
        _writer.Dispose();
    }
}
