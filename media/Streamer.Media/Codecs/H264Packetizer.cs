using System.Buffers.Binary;

namespace Streamer.Media.Codecs;

/// <summary>
/// Packs one H.264 access unit (Annex-B) into RTP payloads (RFC 6184, packetization mode 1):
/// adjacent SPS and PPS go together in one STAP-A, NAL units that fit go alone, larger ones
/// are split into FU-A fragments. The last payload is the one to send with the marker bit.
/// </summary>
public sealed class H264Packetizer
{
    private const int FuOverhead = 2;
    private const byte FuStartBit = 0x80;
    private const byte FuEndBit = 0x40;

    public H264Packetizer(int mtu = 1200)
    {
        if (mtu < 16)
        {
            throw new ArgumentOutOfRangeException(nameof(mtu));
        }
        Mtu = mtu;
    }

    public int Mtu { get; }

    public void Packetize(ReadOnlySpan<byte> accessUnit, List<byte[]> payloads)
    {
        var reader = new AnnexBReader(accessUnit);
        Span<Range> pending = stackalloc Range[8];
        var pendingCount = 0;
        var pendingSize = 1;
        while (reader.TryReadNalUnit(out var offset, out var length))
        {
            var nal = accessUnit.Slice(offset, length);
            var isParameterSet = H264NalUnitType.Of(nal[0]) is H264NalUnitType.Sps or H264NalUnitType.Pps;
            if (isParameterSet && pendingCount < pending.Length && pendingSize + 2 + length <= Mtu)
            {
                pending[pendingCount++] = new Range(offset, offset + length);
                pendingSize += 2 + length;
                continue;
            }

            Flush(accessUnit, pending[..pendingCount], payloads);
            pendingCount = 0;
            pendingSize = 1;
            if (isParameterSet && 1 + 2 + length <= Mtu)
            {
                pending[pendingCount++] = new Range(offset, offset + length);
                pendingSize += 2 + length;
                continue;
            }
            PacketizeNal(nal, payloads);
        }
        Flush(accessUnit, pending[..pendingCount], payloads);
    }

    private void Flush(ReadOnlySpan<byte> accessUnit, ReadOnlySpan<Range> nals, List<byte[]> payloads)
    {
        if (nals.Length == 0)
        {
            return;
        }
        if (nals.Length == 1)
        {
            PacketizeNal(accessUnit[nals[0]], payloads);
            return;
        }

        var size = 1;
        byte nri = 0;
        foreach (var range in nals)
        {
            var nal = accessUnit[range];
            size += 2 + nal.Length;
            nri = Math.Max(nri, (byte)(nal[0] & 0x60));
        }
        var payload = new byte[size];
        payload[0] = (byte)(nri | H264NalUnitType.StapA);
        var offset = 1;
        foreach (var range in nals)
        {
            var nal = accessUnit[range];
            BinaryPrimitives.WriteUInt16BigEndian(payload.AsSpan(offset), (ushort)nal.Length);
            nal.CopyTo(payload.AsSpan(offset + 2));
            offset += 2 + nal.Length;
        }
        payloads.Add(payload);
    }

    private void PacketizeNal(ReadOnlySpan<byte> nal, List<byte[]> payloads)
    {
        if (nal.Length <= Mtu)
        {
            payloads.Add(nal.ToArray());
            return;
        }

        var header = nal[0];
        var indicator = (byte)((header & H264NalUnitType.ForbiddenAndNriMask) | H264NalUnitType.FuA);
        var type = (byte)(header & H264NalUnitType.TypeMask);
        var data = nal[1..];
        var chunkSize = Mtu - FuOverhead;
        var first = true;
        while (!data.IsEmpty)
        {
            var chunk = Math.Min(chunkSize, data.Length);
            var payload = new byte[FuOverhead + chunk];
            payload[0] = indicator;
            var fuHeader = type;
            if (first) fuHeader |= FuStartBit;
            if (chunk == data.Length) fuHeader |= FuEndBit;
            payload[1] = fuHeader;
            data[..chunk].CopyTo(payload.AsSpan(FuOverhead));
            payloads.Add(payload);
            data = data[chunk..];
            first = false;
        }
    }
}
