using Streamer.Models.Generation;
using Streamer.Models.Qwen25Omni;
using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Models.Tests.Generation;

public sealed class KvCacheTests
{
    private static Tensor Steps(int from, int count) =>
        arange(from, from + count, ScalarType.Float32).view(1, 1, count, 1).expand(1, 2, count, 4).contiguous();

    [Fact]
    public void Append_concatenates_along_the_sequence_and_reports_length()
    {
        using var scope = NewDisposeScope();
        using var cache = new KvCache(2);

        cache.Append(0, Steps(0, 3), Steps(100, 3));
        var (k, v) = cache.Append(0, Steps(3, 2), Steps(103, 2));

        Assert.Equal(5, cache.Length);
        Assert.Equal([1L, 2, 5, 4], k.shape);
        Assert.Equal([0f, 1, 2, 3, 4], k[0, 0, .., 0].data<float>().ToArray());
        Assert.Equal([100f, 101, 102, 103, 104], v[0, 1, .., 3].data<float>().ToArray());
        Assert.Null(cache.Keys(1));
    }

    [Fact]
    public void Truncate_keeps_a_prefix_and_clone_diverges_independently()
    {
        using var scope = NewDisposeScope();
        using var cache = new KvCache(1);
        cache.Append(0, Steps(0, 6), Steps(10, 6));

        using var copy = cache.Clone();
        cache.Truncate(2);
        copy.Append(0, Steps(6, 1), Steps(16, 1));

        Assert.Equal(2, cache.Length);
        Assert.Equal([0f, 1], cache.Keys(0)![0, 0, .., 0].data<float>().ToArray());
        Assert.Equal([10f, 11], cache.Values(0)![0, 0, .., 0].data<float>().ToArray());
        Assert.Equal(7, copy.Length);
        Assert.Equal(6f, copy.Keys(0)![0, 0, 6, 0].item<float>());
    }

    [Fact]
    public void Cache_tensors_survive_the_scope_they_were_appended_in()
    {
        using var cache = new KvCache(1);
        using (NewDisposeScope())
        {
            cache.Append(0, Steps(0, 2), Steps(0, 2));
        }

        Assert.Equal([0f, 1], cache.Keys(0)![0, 0, .., 0].data<float>().ToArray());
    }

    [Fact]
    public void RemoveRange_drops_the_middle_and_keeps_the_sink_and_tail_in_order()
    {
        using var scope = NewDisposeScope();
        using var cache = new KvCache(2);
        cache.Append(0, Steps(0, 7), Steps(10, 7));
        cache.Append(1, Steps(20, 7), Steps(30, 7));

        cache.RemoveRange(2, 3);

        Assert.Equal(4, cache.Length);
        Assert.Equal([0f, 1, 5, 6], cache.Keys(0)![0, 0, .., 0].data<float>().ToArray());
        Assert.Equal([30f, 31, 35, 36], cache.Values(1)![0, 1, .., 2].data<float>().ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => cache.RemoveRange(2, 3));
    }
}
