using Streamer.Models.Memory;
using Streamer.Models.Processing;

namespace Streamer.Models.Tests.Memory;

/// <summary>
/// Feeds hours of stream into a memory in seconds of test time. A few one-minute clips of
/// <see cref="MemoryStream"/> frames (84x56, 6 tokens per group) are preprocessed once; the
/// stream cycles through them, one clip per simulated minute. Each append still runs the
/// vision encoder (once over the whole clip rather than per frame) and the LLM prefill of
/// every group over sink + window, so everything after the pixel preprocessing is the real
/// path. Media time keeps advancing, so positions are those of a stream of that length.
/// </summary>
internal sealed class LongStreamClips : IDisposable
{
    /// <summary>Groups per clip: one minute at 2 fps with two frames per group.</summary>
    public const int GroupsPerClip = 60;

    public const int FramesPerGroup = 2;

    public static readonly TimeSpan ClipDuration = TimeSpan.FromSeconds(GroupsPerClip * FramesPerGroup / MemoryStream.Fps);

    private readonly Qwen2VLVisionInputs[] _clips;

    public LongStreamClips(int distinctClips, int seed)
    {
        var processor = MemoryStream.Processor();
        _clips = Enumerable.Range(0, distinctClips).Select(i =>
        {
            var frames = MemoryStream.Frames(GroupsPerClip * FramesPerGroup, seed + i);
            return processor.Process(frames.Select(f => f.Image).ToArray(), MemoryStream.Fps);
        }).ToArray();
    }

    /// <summary>Appends the stream's minute <paramref name="minute"/> (0-based) to the memory.</summary>
    public IReadOnlyList<MemoryBlock> AppendMinute(StreamingVideoMemory memory, int minute) =>
        memory.AppendFrames(_clips[minute % _clips.Length], minute * ClipDuration);

    public void Dispose()
    {
        foreach (var clip in _clips)
        {
            clip.Dispose();
        }
    }
}
