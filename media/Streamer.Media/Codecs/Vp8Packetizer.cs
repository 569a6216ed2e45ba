namespace Streamer.Media.Codecs;

/// <summary>
/// Splits a VP8 frame into RTP payloads of at most <see cref="Mtu"/> bytes (RFC 7741), each
/// with a descriptor carrying a 15-bit PictureID; the first has S=1. The last payload of a
/// frame is the one to send with the marker bit.
/// </summary>
public sealed class Vp8Packetizer
{
    private int _pictureId;

    public Vp8Packetizer(int mtu = 1200, int initialPictureId = 0)
    {
        if (mtu < 16)
        {
            throw new ArgumentOutOfRangeException(nameof(mtu));
        }
        Mtu = mtu;
        _pictureId = initialPictureId & 0x7FFF;
    }

    public int Mtu { get; }

    public void Packetize(ReadOnlySpan<byte> frame, List<byte[]> payloads)
    {
        if (frame.IsEmpty)
        {
            return;
        }

        var first = true;
        while (!frame.IsEmpty)
        {
            var descriptor = new Vp8PayloadDescriptor
            {
                StartOfPartition = first,
                PictureId = _pictureId,
                PictureIdIs15Bit = true,
            };
            var headerSize = descriptor.MarshalSize;
            var chunk = Math.Min(frame.Length, Mtu - headerSize);
            var payload = new byte[headerSize + chunk];
            descriptor.MarshalTo(payload);
            frame[..chunk].CopyTo(payload.AsSpan(headerSize));
            payloads.Add(payload);
            frame = frame[chunk..];
            first = false;
        }
        _pictureId = Vp8PayloadDescriptor.NextPictureId(_pictureId);
    }
}
