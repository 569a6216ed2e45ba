using Streamer.Media.Interceptors;
using Streamer.Media.Rtcp;
using Streamer.Media.Rtp;

namespace Streamer.Media.Tests.Interceptors;

internal sealed class RecordingRtcpWriter : IRtcpWriter
{
    public List<IRtcpPacket> Packets { get; } = [];

    public void Write(IRtcpPacket packet) => Packets.Add(packet);

    /// <summary>Marshals and parses the packet back, so tests check the wire form.</summary>
    public T Reparse<T>(int index) where T : IRtcpPacket
    {
        var buffer = new byte[Packets[index].MarshalSize];
        Packets[index].MarshalTo(buffer);
        var parsed = new List<IRtcpPacket>();
        Assert.True(RtcpCompound.TryUnmarshal(buffer, parsed, out _));
        return Assert.IsType<T>(Assert.Single(parsed));
    }
}

internal static class InterceptorTestKit
{
    public static readonly DateTimeOffset T0 = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);
    public const uint LocalSsrc = 0x11111111;
    public const uint RemoteSsrc = 0x22222222;

    public static InterceptorContext Context(TimeProvider? time = null) => new(time ?? new ManualTimeProvider(T0), LocalSsrc);

    public static StreamInfo Video(params string[] feedback) => new()
    {
        Ssrc = RemoteSsrc,
        ClockRate = 90000,
        PayloadType = 96,
        MimeType = "video/VP8",
        RtcpFeedback = feedback,
        HeaderExtensions = new Dictionary<string, int> { [TransportSequenceNumber.Uri] = 5 },
    };

    /// <summary>Builds an RTP packet and hands its header and bytes to the hook.</summary>
    public static void Receive(Interceptor interceptor, ushort seq, uint timestamp, DateTimeOffset arrival,
        ushort? transportSeq = null, uint ssrc = RemoteSsrc, int payloadBytes = 10)
    {
        var raw = Build(seq, timestamp, transportSeq, ssrc, payloadBytes);
        Assert.True(RtpHeader.TryRead(raw, out var header, out _, out _));
        interceptor.OnRtpReceived(header, raw, arrival);
    }

    public static byte[] Build(ushort seq, uint timestamp, ushort? transportSeq = null, uint ssrc = RemoteSsrc, int payloadBytes = 10)
    {
        var packet = new RtpPacket { PayloadType = 96, SequenceNumber = seq, Timestamp = timestamp, Ssrc = ssrc, Payload = new byte[payloadBytes] };
        if (transportSeq is ushort t)
        {
            var value = new byte[2];
            TransportSequenceNumber.Write(value, t);
            packet.SetExtension(5, value);
        }
        var raw = new byte[packet.MarshalSize];
        packet.MarshalTo(raw);
        return raw;
    }
}
