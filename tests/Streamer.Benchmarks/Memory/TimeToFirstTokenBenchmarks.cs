using BenchmarkDotNet.Attributes;
using Streamer.Benchmarks.Models;
using Streamer.KvStore;
using Streamer.Models.Generation;
using Streamer.Models.Memory;
using Streamer.Models.Processing;
using Streamer.Models.Qwen25Omni;
using Streamer.Models.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Benchmarks.Memory;

/// <summary>
/// Time to first token of a question against the length of the stream the memory has seen:
/// the tiny fixture thinker on the CPU (one libtorch thread), ReKV over a host tier of 16
/// blocks and a disk tier, an 8-block window, top 64 frames. Setup streams 1, 30 or 120
/// minutes at 2 fps (84x56 frames, 6 tokens per frame pair; four one-minute clips preprocessed
/// once and cycled, the vision encoder run once per clip and the LLM prefill per group), so the
/// memory holds 60, 1,800 or 7,200 blocks. One operation: retrieval (mean query, scoring, 32
/// block loads), the answer cache and the question's prefill up to its first token.
/// </summary>
public class TimeToFirstTokenBenchmarks
{
    private const int Width = 84;
    private const int Height = 56;
    private const double Fps = 2.0;
    private const int GroupsPerClip = 60;

    private Qwen25OmniThinker _thinker = null!;
    private TieredKvStore _store = null!;
    private StreamingVideoMemory _memory = null!;
    private Tensor _question = null!;
    private string _folder = null!;

    [Params(1, 30, 120)]
    public int StreamMinutes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(1);
        var folder = TinyFixture.ResolveFolder();
        var config = Qwen25OmniConfig.Load(folder).ThinkerConfig;
        using (var checkpoint = SafeTensorsCheckpoint.Open(folder))
        {
            _thinker = Qwen25OmniThinker.Load(config, checkpoint);
        }
        _folder = Path.Combine(Path.GetTempPath(), "streamer-bench-ttft-" + Guid.NewGuid().ToString("N"));
        _store = new TieredKvStore([
            new HostMemoryTier(new HostMemoryTierOptions { MaxBlocks = 16 }),
            new DiskTier(new DiskTierOptions { Directory = _folder, MaxBytes = 1L << 30 }),
        ]);
        var processor = new Qwen2VLVideoProcessor(new Qwen2VLImageProcessorOptions { MinPixels = Width * Height, MaxPixels = Width * Height });
        _memory = new StreamingVideoMemory(_thinker, _store, "ttft", new StreamingMemoryOptions { WindowTokens = 8 * 6 }, processor);
        var random = new Random(99);
        var limit = (int)config.AudioTokenIndex;
        long[] Text(int n) => [.. Enumerable.Range(0, n).Select(_ => (long)random.Next(0, limit))];
        using (var sink = tensor((long[])[.. Text(5), config.VisionStartTokenId], [1, 6]))
        {
            _memory.PrefillSink(sink);
        }
        var clips = Enumerable.Range(0, 4).Select(_ =>
        {
            var images = Enumerable.Range(0, 2 * GroupsPerClip).Select(_ =>
            {
                var pixels = new byte[Width * Height * 3];
                random.NextBytes(pixels);
                return new RgbImage(pixels, Width, Height);
            }).ToArray();
            return processor.Process(images, Fps);
        }).ToArray();
        for (var minute = 0; minute < StreamMinutes; minute++)
        {
            _memory.AppendFrames(clips[minute % clips.Length], TimeSpan.FromMinutes(minute));
        }
        foreach (var clip in clips)
        {
            clip.Dispose();
        }
        _question = tensor((long[])[config.VisionEndTokenId, .. Text(6)], [1, 7]);
        using var context = new ReKVRetriever(_memory).Retrieve(_question);
        if (context.Retrieved.Count != 32 || context.Missing.Count != 0)
        {
            throw new InvalidOperationException($"retrieved {context.Retrieved.Count} blocks, {context.Missing.Count} missing");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _question.Dispose();
        _memory.Dispose();
        _store.Dispose();
        _thinker.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark]
    public long FirstToken()
    {
        using var scope = NewDisposeScope();
        using var context = new ReKVRetriever(_memory).Retrieve(_question);
        using var result = new ThinkerGenerator(_thinker).Generate(context.Prompt, new GenerationOptions { MaxNewTokens = 1 }, context.Cache);
        return result.NewTokens[0][0];
    }
}
