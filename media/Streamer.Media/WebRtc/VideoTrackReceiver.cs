using System.Threading.Channels;
using Streamer.Media.Codecs;
using Streamer.Media.Sdp;

namespace Streamer.Media.WebRtc;

/// <summary>The negotiated video track: RTP payloads in, complete encoded frames out.</summary>
internal sealed class VideoTrackReceiver : IDisposable
{
    private readonly FrameAssembler _assembler;
    private readonly ChannelWriter<EncodedFrame> _output;
    private readonly WebRtcPeerStats _stats;

    public VideoTrackReceiver(NegotiatedMedia media, FrameAssemblerOptions options, ChannelWriter<EncodedFrame> output, WebRtcPeerStats stats)
    {
        Media = media;
        Codec = CodecOf(media.Codec.Name);
        RtpDepacketizer depacketizer = Codec switch
        {
            VideoCodec.Vp8 => new Vp8Depacketizer(),
            VideoCodec.H264 => new H264Depacketizer(),
            _ => throw new NotSupportedException($"No depacketizer for {media.Codec.Name}."),
        };
        _assembler = new FrameAssembler(depacketizer, options);
        _output = output;
        _stats = stats;
    }

    public NegotiatedMedia Media { get; }

    public VideoCodec Codec { get; }

    public FrameAssemblerStats JitterStats => _assembler.Stats;

    public static VideoCodec CodecOf(string name) => name.ToUpperInvariant() switch
    {
        "VP8" => VideoCodec.Vp8,
        "H264" => VideoCodec.H264,
        "H265" => VideoCodec.H265,
        _ => throw new NotSupportedException($"Unsupported video codec {name}."),
    };

    /// <summary>Gives one packet to the jitter buffer; false when it was rejected, a duplicate or too late.</summary>
    public bool OnRtp(ushort sequence, uint timestamp, bool marker, ReadOnlySpan<byte> payload, DateTimeOffset arrival)
    {
        var rejectedBefore = _assembler.Stats.PacketsRejected;
        // Late and duplicate packets (normal after NACK) are counted by the jitter buffer; only malformed payloads are errors.
        var accepted = _assembler.Insert(sequence, timestamp, marker, payload, arrival);
        if (!accepted && _assembler.Stats.PacketsRejected > rejectedBefore)
            _stats.Reject("rtp", $"{Codec}:{_assembler.LastError}");
        Drain();
        return accepted;
    }

    public void Tick(DateTimeOffset now)
    {
        _assembler.Advance(now);
        Drain();
    }

    public bool TakeKeyframeRequest() => _assembler.TakeKeyframeRequest();

    private void Drain()
    {
        while (_assembler.TryDequeue(out var frame))
        {
            _stats.VideoFrame();
            // The channel drops (and disposes) the newest frame when the decoder lags.
            _output.TryWrite(frame);
        }
    }

    public void Dispose() => _assembler.Dispose();
}
