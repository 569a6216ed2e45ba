using Streamer.Models.Memory;

namespace Streamer.Server.Chat;

/// <summary>
/// A frame group that left the vision-encoder stage, on its way to the memory stage: the group's
/// embeddings (owned; the memory stage disposes them) with the frame count and the media time of
/// its newest frame, which the ingest lag is measured from.
/// </summary>
public sealed record EncodedFrames(EncodedFrameGroup Group, int Frames, double NewestSeconds) : IDisposable
{
    public void Dispose() => Group.Dispose();
}
