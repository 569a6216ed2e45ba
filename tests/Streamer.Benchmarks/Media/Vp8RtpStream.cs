using Streamer.Media.Codecs;
using Streamer.Media.Rtp;

namespace Streamer.Benchmarks.Media;

/// <summary>
/// A deterministic VP8 RTP stream shaped like a browser's 720p send: frames of
/// <see cref="PacketsPerFrame"/> packets with ~1100-byte payloads, the first frame a keyframe,
/// and the three one-byte header extensions Chromium puts on video (mid, abs-send-time,
/// transport-wide sequence number).
/// </summary>
public static class Vp8RtpStream
{
    public const int PacketsPerFrame = 8;
    public const int PayloadSize = 1100;
    public const byte PayloadType = 96;
    public const uint Ssrc = 0x5EED_0001;
    public const int MidId = 1;
    public const int AbsSendTimeId = 2;
    public const int TransportSequenceId = 3;
    private const ushort FirstSequence = 17_000;
    private const uint TimestampStep = 3000;

    // Chromium's first three bytes of a VP8 keyframe after the frame tag (RFC 6386 9.1).
    private static readonly byte[] KeyframeStartCode = [0x9d, 0x01, 0x2a];

    /// <summary>Plain RTP packets for <paramref name="frames"/> frames, in sending order.</summary>
    public static List<byte[]> Build(int frames, int seed)
    {
        var random = new Random(seed);
        var packetizer = new Vp8Packetizer(mtu: PayloadSize);
        var frameData = new byte[PacketsPerFrame * (PayloadSize - 4)];
        var payloads = new List<byte[]>();
        var packets = new List<byte[]>(frames * PacketsPerFrame);
        var mid = SdesMid.Encode("0");
        var sequence = FirstSequence;
        for (var frame = 0; frame < frames; frame++)
        {
            random.NextBytes(frameData);
            if (frame == 0)
            {
                frameData[0] &= 0xFE; // P = 0: keyframe
                KeyframeStartCode.CopyTo(frameData.AsSpan(3));
            }
            else
            {
                frameData[0] |= 0x01; // P = 1: interframe
            }

            payloads.Clear();
            packetizer.Packetize(frameData, payloads);
            for (var i = 0; i < payloads.Count; i++)
            {
                var absSendTime = new byte[AbsSendTime.Size];
                AbsSendTime.Write(absSendTime, (uint)(frame * 8738));
                var transportSequence = new byte[TransportSequenceNumber.Size];
                TransportSequenceNumber.Write(transportSequence, sequence);
                var packet = new RtpPacket
                {
                    PayloadType = PayloadType,
                    SequenceNumber = sequence++,
                    Timestamp = (uint)frame * TimestampStep,
                    Ssrc = Ssrc,
                    Marker = i == payloads.Count - 1,
                    Payload = payloads[i],
                };
                packet.SetExtension(MidId, mid);
                packet.SetExtension(AbsSendTimeId, absSendTime);
                packet.SetExtension(TransportSequenceId, transportSequence);
                var bytes = new byte[packet.MarshalSize];
                packet.MarshalTo(bytes);
                packets.Add(bytes);
            }
        }
        return packets;
    }
}
