using System.Collections.Concurrent;
using Streamer.KvStore;
using Streamer.Models.Memory;
using Streamer.Models.Processing;
using Streamer.Models.Qwen25Omni;
using Streamer.Models.Tests.Fixtures;
using Streamer.Models.Tests.Qwen25Omni;
using static TorchSharp.torch;

namespace Streamer.Models.Tests.Memory;

/// <summary>
/// The vision encoder and the prefill as two stages: groups encoded on their own thread (under
/// that thread's dispose scopes) and appended on another must make exactly what AppendFrames
/// makes — the same blocks byte for byte, the same window and the same question logits.
/// </summary>
[Trait("Category", "Memory")]
public sealed class SplitEncodeEquivalenceTests
{
    private const int Groups = 5;
    private const int WindowTokens = 2 * MemoryStream.TokensPerBlock;

    public static TheoryData<string> Folders => FixtureData.Folders();

    [Theory]
    [MemberData(nameof(Folders))]
    public void Encoding_on_another_thread_then_AppendEncoded_is_bit_identical_to_AppendFrames(string folder)
    {
        using var thinker = ThinkerFixture.Load(folder);
        using var scope = NewDisposeScope();
        using var wholeStore = new TieredKvStore([new HostMemoryTier(new HostMemoryTierOptions())]);
        using var splitStore = new TieredKvStore([new HostMemoryTier(new HostMemoryTierOptions())]);
        using var whole = Open(thinker, wholeStore);
        using var split = Open(thinker, splitStore);
        var frames = MemoryStream.Frames(2 * Groups, seed: 90);
        var groups = Enumerable.Range(0, Groups).Select(g => frames[(2 * g)..(2 * g + 2)]).ToArray();

        var expected = groups.SelectMany(whole.AppendFrames).ToList();
        var actual = new List<MemoryBlock>();
        using (var queue = new BlockingCollection<EncodedFrameGroup>(boundedCapacity: 1))
        {
            Exception? failed = null;
            var encoder = new Thread(() => failed = Encode(split, groups, queue));
            encoder.Start();
            try
            {
                foreach (var encoded in queue.GetConsumingEnumerable())
                {
                    using (encoded)
                    {
                        actual.AddRange(split.AppendEncoded(encoded));
                    }
                }
            }
            finally
            {
                // A failed append leaves the encoder waiting on the full queue: release it first.
                foreach (var left in queue.GetConsumingEnumerable()) left.Dispose();
                encoder.Join();
            }
            Assert.Null(failed);
        }

        Assert.Equal(expected, actual);
        Assert.Equal(whole.WindowBlocks, split.WindowBlocks);
        Assert.Equal(whole.WorkingLength, split.WorkingLength);
        Assert.Equal(whole.NextPosition, split.NextPosition);
        foreach (var block in expected)
        {
            var a = wholeStore.Get(block.Id).Block!;
            var b = splitStore.Get(block.Id).Block!;
            // Metadata (positions, retrieval keys) and every layer's keys and values.
            Assert.Equal(KvBlockCodec.Encode(a), KvBlockCodec.Encode(b));
        }
        var question = MemoryStream.Row(MemoryStream.QuestionIds(thinker.Config, seed: 91));
        using var wholeContext = new ReKVRetriever(whole).Retrieve(question);
        using var splitContext = new ReKVRetriever(split).Retrieve(question);
        Assert.NotEmpty(splitContext.Retrieved);
        using var wholeOutput = thinker.forward(wholeContext.Prompt.InputIds, null, wholeContext.Prompt.PositionIds, null, wholeContext.Cache);
        using var splitOutput = thinker.forward(splitContext.Prompt.InputIds, null, splitContext.Prompt.PositionIds, null, splitContext.Cache);
        ThinkerFixture.AssertClose(wholeOutput.Logits, splitOutput.Logits, "question logits after the split path", atol: 0);
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public void An_encoded_clip_holds_one_group_per_temporal_patch_and_is_unusable_once_disposed(string folder)
    {
        using var thinker = ThinkerFixture.Load(folder);
        using var store = new TieredKvStore([new HostMemoryTier(new HostMemoryTierOptions())]);
        using var memory = Open(thinker, store);
        var frames = MemoryStream.Frames(4, seed: 92);

        var encoded = memory.EncodeFrames(frames);
        Assert.Equal(2, encoded.Groups);
        Assert.Equal(MemoryStream.TokensPerBlock, encoded.TokensPerGroup);
        Assert.Equal(2 * MemoryStream.TokensPerBlock, encoded.Embeddings.shape[0]);
        Assert.Equal(thinker.VisionDevice.type, encoded.Embeddings.device.type);
        var blocks = memory.AppendEncoded(encoded);
        encoded.Dispose();

        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(1)], blocks.Select(b => b.MediaStart));
        Assert.Throws<ObjectDisposedException>(() => memory.AppendEncoded(encoded));
        // Three frames are not whole groups of the temporal patch.
        Assert.Throws<ArgumentException>(() => memory.EncodeFrames(frames[..3]));
        Assert.Equal(2, memory.WindowBlocks.Count);
    }

    // Each group under its own scope on this thread, as a pipeline stage would: the encoded
    // tensors must outlive it.
    private static Exception? Encode(StreamingVideoMemory memory, TimedFrame[][] groups, BlockingCollection<EncodedFrameGroup> queue)
    {
        try
        {
            foreach (var group in groups)
            {
                using var scope = NewDisposeScope();
                queue.Add(memory.EncodeFrames(group));
            }
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
        finally
        {
            queue.CompleteAdding();
        }
    }

    private static StreamingVideoMemory Open(Qwen25OmniThinker thinker, TieredKvStore store)
    {
        var memory = new StreamingVideoMemory(thinker, store, "split",
            new StreamingMemoryOptions { WindowTokens = WindowTokens }, MemoryStream.Processor());
        memory.PrefillSink(MemoryStream.Row(MemoryStream.SinkIds(thinker.Config, seed: 93)));
        return memory;
    }
}
