using System.Threading.Channels;
using Streamer.Media.Codecs;
using Streamer.Server.Pipeline;
using Streamer.Server.Sessions;

namespace Streamer.Server.Ingest;

/// <summary>
/// Encoded frames in, decoded I420 frames out. A decode failure asks the sender for a
/// keyframe instead of ending the stream.
/// </summary>
public sealed class VideoDecodeStage(string sessionId, VideoStats stats, Action requestKeyframe, int threads)
    : PipelineStage<EncodedFrame, VideoFrame>("decode"), IDisposable
{
    private readonly List<VideoFrame> _decoded = [];
    private VideoDecoder? _decoder;
    private VideoCodec? _codec;

    public string SessionId { get; } = sessionId;

    /// <summary>Raised for every decoded frame before it moves on; handlers must copy what they keep.</summary>
    public event Action<VideoFrame>? FrameDecoded;

    protected override async ValueTask ProcessAsync(EncodedFrame item, ChannelWriter<VideoFrame> output, CancellationToken cancellationToken)
    {
        using (item)
        {
            if (_decoder is null || _codec != item.Codec)
            {
                _decoder?.Dispose();
                _decoder = VideoDecoder.Create(item.Codec, threads);
                _codec = item.Codec;
                stats.Codec = item.Codec switch { VideoCodec.Vp8 => "VP8", VideoCodec.H264 => "H264", _ => item.Codec.ToString().ToUpperInvariant() };
            }
            var status = _decoder.Decode(item, _decoded);
            if (status != DecodeStatus.Ok)
            {
                if (status == DecodeStatus.Error) stats.RecordDecodeError();
                requestKeyframe();
            }
        }
        foreach (var frame in _decoded)
        {
            stats.RecordFrame(frame.Width, frame.Height);
            FrameDecoded?.Invoke(frame);
            await output.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
        }
        _decoded.Clear();
    }

    public void Dispose() => _decoder?.Dispose();
}
