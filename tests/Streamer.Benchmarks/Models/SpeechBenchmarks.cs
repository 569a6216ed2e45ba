using BenchmarkDotNet.Attributes;
using Streamer.Models.Generation;
using Streamer.Models.Qwen25Omni;
using Streamer.Models.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Benchmarks.Models;

/// <summary>
/// Speech on the CPU with the tiny fixture model (float32, one libtorch thread), for one answer
/// of <see cref="Codes"/> codec ids (<see cref="AudioSeconds"/> of 24 kHz audio):
/// the talker generating them, token2wav offline over all of them, token2wav streamed code by
/// code with the reference chunk sizes, and the first-chunk latency: the time from the moment
/// the first chunk's codes exist (pushed at once) to its audio. Real-time factor = mean time /
/// <see cref="AudioSeconds"/> (talker + streamed token2wav for the whole path). The tiny model
/// has 64 hidden units, so these figures measure per-op overhead, not arithmetic.
/// </summary>
public class SpeechBenchmarks
{
    public const int Codes = 120;
    public const int TorchThreads = 1;
    public const int PromptRows = 32;

    private Qwen25OmniTalker _talker = null!;
    private Qwen25OmniToken2Wav _token2wav = null!;
    private TalkerPrompt _prompt = null!;
    private Tensor _cond = null!;
    private Tensor _referenceMel = null!;
    private Tensor _noise = null!;
    private long[] _codes = null!;

    /// <summary>Seconds of audio in one answer: codes × repeats × hop / 24 kHz.</summary>
    public double AudioSeconds => (double)Codes * _token2wav.Repeats * _token2wav.Config.BigVGANConfig.HopLength / Token2WavAudioChunk.SampleRate;

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(TorchThreads);
        var folder = TinyFixture.ResolveFolder();
        var config = Qwen25OmniConfig.Load(folder);
        using (var checkpoint = SafeTensorsCheckpoint.Open(folder))
        {
            _talker = Qwen25OmniTalker.Load(config.TalkerConfig!, checkpoint);
            _token2wav = Qwen25OmniToken2Wav.Load(Qwen25OmniToken2WavConfig.From(config), checkpoint);
        }
        var generator = new Generator(20250101);
        var width = config.TalkerConfig!.EmbeddingSize;
        var dit = _token2wav.Config.DitConfig;
        var random = new Random(20250101);
        var textIds = Enumerable.Range(0, PromptRows).Select(_ => (long)random.Next(0, (int)config.ThinkerConfig.AudioTokenIndex)).ToArray();
        _prompt = new TalkerPrompt(
            randn([1, PromptRows, width], generator: generator),
            tensor(textIds, [1, PromptRows]),
            randn([1, 4, width], generator: generator));
        _cond = randn([1, dit.EncEmbDim], generator: generator);
        _referenceMel = randn([1, 30, dit.MelDim], generator: generator);
        _noise = StreamingToken2Wav.DrawNoise(_token2wav, 7, Codes * _token2wav.Repeats);
        var table = (int)_token2wav.code2wav_dit_model.text_embed.codec_embed.weight!.shape[0];
        _codes = Enumerable.Range(0, Codes).Select(_ => (long)random.Next(0, table)).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _prompt.InputsEmbeds.Dispose();
        _prompt.InputTextIds.Dispose();
        _prompt.ThinkerReplyPart.Dispose();
        _cond.Dispose();
        _referenceMel.Dispose();
        _noise.Dispose();
        _talker.Dispose();
        _token2wav.Dispose();
    }

    [Benchmark]
    public int TalkerCodes()
    {
        using var cache = new KvCache(_talker.Config.NumHiddenLayers);
        using var result = new TalkerGenerator(_talker).Generate(_prompt, new TalkerGenerationOptions { MaxNewTokens = Codes, MinNewTokens = Codes }, cache);
        return result.Codes.Length;
    }

    [Benchmark(Baseline = true)]
    public long Token2WavOffline()
    {
        using var scope = NewDisposeScope();
        return _token2wav.forward(tensor(_codes, [1, Codes]), _cond, _referenceMel, _noise).shape[0];
    }

    [Benchmark]
    public long Token2WavStreamed()
    {
        using var stream = new StreamingToken2Wav(_token2wav, _cond, _referenceMel, _noise);
        long samples = 0;
        foreach (var code in _codes)
        {
            foreach (var chunk in stream.Append([code]))
            {
                samples += chunk.Samples.Length;
            }
        }
        return samples + stream.Finish().Samples.Length;
    }

    [Benchmark]
    public int FirstChunkLatency()
    {
        using var stream = new StreamingToken2Wav(_token2wav, _cond, _referenceMel, _noise);
        var chunks = stream.Append(_codes.AsSpan(0, stream.CodesForFirstChunk));
        return chunks[0].Samples.Length;
    }
}
