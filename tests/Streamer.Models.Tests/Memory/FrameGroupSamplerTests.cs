using Streamer.Models.Memory;
using Streamer.Models.Processing;

namespace Streamer.Models.Tests.Memory;

[Trait("Category", "Memory")]
public sealed class FrameGroupSamplerTests
{
    private static TimedFrame Frame(int index, double seconds) =>
        new(new RgbImage([(byte)index, 0, 0], 1, 1), seconds);

    [Fact]
    public void Live_sampling_picks_the_frames_the_offline_sampler_picks_in_groups()
    {
        // 30 fps with jitter over 4.1 s, sampled at 2 fps in pairs.
        var rng = new Random(70);
        var frames = Enumerable.Range(0, 124).Select(i => Frame(i, i / 30.0 + rng.NextDouble() * 0.01)).ToArray();
        var sampler = new FrameGroupSampler(2.0, 2);

        var groups = frames.SelectMany(sampler.Add).ToList();

        var offline = Qwen2VLVideoProcessor.SampleFrames(frames, 2.0, 2);
        Assert.Equal(offline.Count, groups.Count * 2);
        Assert.Equal(offline.Select(f => f.Image), groups.SelectMany(g => g).Select(f => f.Image));
        // Each group starts on the sample grid: first frame time + k / fps.
        Assert.Equal(Enumerable.Range(0, groups.Count).Select(g => frames[0].Seconds + g), groups.Select(g => g[0].Seconds));
    }

    [Fact]
    public void A_gap_in_the_stream_repeats_the_last_frame_for_every_missed_sample()
    {
        var sampler = new FrameGroupSampler(2.0, 2);

        Assert.Empty(sampler.Add(Frame(0, 0.0)));
        var groups = sampler.Add(Frame(1, 2.2));

        // Samples at 0, 0.5, 1.0, 1.5, 2.0 all take frame 0: two whole groups, one sample pending.
        Assert.Equal(2, groups.Count);
        Assert.All(groups.SelectMany(g => g), f => Assert.Equal(0, f.Image.Pixels[0]));
        Assert.Equal([0.0, 0.5, 1.0, 1.5], groups.SelectMany(g => g).Select(f => f.Seconds));
    }

    [Fact]
    public void Frames_going_back_in_time_are_ignored()
    {
        var sampler = new FrameGroupSampler(2.0, 1);
        Assert.Single(sampler.Add(Frame(0, 1.0)));

        Assert.Empty(sampler.Add(Frame(1, 0.5)));
        var next = Assert.Single(sampler.Add(Frame(2, 1.5)));

        Assert.Equal(2, next[0].Image.Pixels[0]);
    }
}
