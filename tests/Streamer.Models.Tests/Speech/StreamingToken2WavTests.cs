using Streamer.Models.Qwen25Omni;
using Streamer.Models.Tests.Fixtures;
using Streamer.Models.Tests.Qwen25Omni;
using static TorchSharp.torch;

namespace Streamer.Models.Tests.Speech;

/// <summary>
/// Streamed token2wav against the offline forward. Samples that may differ by design: those of
/// frames whose DiT dependency cone crosses a window edge, and the vocoder overlap frames at each
/// seam (see <see cref="StreamingToken2Wav"/>). On the tiny fixture model both stay at float32
/// noise (measured max 6e-6 of peak over 300 random codes with the reference sizes), so every
/// sample is held to the fixtures' 1e-4-of-peak waveform tolerance; dropping the vocoder overlap
/// shows what an untrimmed seam looks like.
/// </summary>
[Trait("Category", "Parity")]
public sealed class StreamingToken2WavTests
{
    private const int RandomCodes = 60;

    // Chunking does not depend on the ODE step count; three steps keep the long cases fast.
    private const int Steps = 3;

    public static TheoryData<string, string> EndToEndCases => FixtureData.Case("e2e_generate");

    [Theory]
    [MemberData(nameof(EndToEndCases))]
    public void Token2Wav_streamed_end_to_end_codes_equal_reference_waveform(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        using var model = Token2WavFixture.LoadToken2Wav(folder);
        using var scope = NewDisposeScope();
        var codes = c.Output("token2wav_codes").data<long>().ToArray();
        using var stream = new StreamingToken2Wav(model, c.Input("speaker_cond"), c.Input("speaker_ref_mel"), c.Input("noise"));

        var chunks = StreamOneByOne(stream, codes);

        // 12 codes end before the first chunk (36 codes) is ready: one window, sampled and vocoded whole.
        Assert.Single(chunks);
        Assert.True(chunks[0].IsLast);
        Token2WavFixture.AssertRelativelyClose(c.Output("waveform"), Concat(chunks), "streamed e2e waveform");
    }

    [Theory]
    [MemberData(nameof(EndToEndCases))]
    public void Token2Wav_streamed_random_codes_equal_offline_waveform_across_chunk_seams(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        using var model = Token2WavFixture.LoadToken2Wav(folder);
        using var scope = NewDisposeScope();
        var (codes, noise) = RandomUtterance(model);
        var (cond, refMel) = (c.Input("speaker_cond"), c.Input("speaker_ref_mel"));
        var offline = model.forward(tensor(codes, [1, codes.Length]), cond, refMel, noise, Steps);
        using var stream = new StreamingToken2Wav(model, cond, refMel, noise, StreamingToken2WavOptions.Reference(model.Config.DitConfig) with { Steps = Steps });
        var hop = model.Config.BigVGANConfig.HopLength;
        var options = stream.Options;

        var chunks = StreamOneByOne(stream, codes, out var codesAtChunk);

        // Reference sizes on 60 codes: chunk 0 after 36 codes, chunk 1 after 60, then the final one.
        Assert.Equal([stream.CodesForFirstChunk, RandomCodes, RandomCodes], codesAtChunk);
        Assert.Equal((options.ChunkFrames - options.VocoderOverlapFrames) * hop, chunks[0].Samples.Length);
        Assert.Equal(options.ChunkFrames * hop, chunks[1].Samples.Length);
        Assert.Equal(chunks[0].Samples.Length, chunks[1].FirstSample);
        Token2WavFixture.AssertRelativelyClose(offline, Concat(chunks), "streamed waveform");
    }

    [Theory]
    [MemberData(nameof(EndToEndCases))]
    public void Token2Wav_streamed_without_vocoder_overlap_differs_at_seams_only(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        using var model = Token2WavFixture.LoadToken2Wav(folder);
        using var scope = NewDisposeScope();
        var (codes, noise) = RandomUtterance(model);
        var (cond, refMel) = (c.Input("speaker_cond"), c.Input("speaker_ref_mel"));
        var offline = model.forward(tensor(codes, [1, codes.Length]), cond, refMel, noise, Steps);
        var options = StreamingToken2WavOptions.Reference(model.Config.DitConfig) with { VocoderOverlapFrames = 0, Steps = Steps };
        using var stream = new StreamingToken2Wav(model, cond, refMel, noise, options);
        var hop = model.Config.BigVGANConfig.HopLength;

        var streamed = Concat(StreamOneByOne(stream, codes));

        // Each chunk is vocoded alone, so BigVGAN's zero padding reaches the samples next to a seam...
        var seam = options.ChunkFrames * hop;
        var nearSeam = hop * options.VocoderOverlapFrames + 2 * hop;
        using var diff = (streamed - offline).abs();
        var peak = offline.abs().max().item<float>();
        Assert.True(diff.narrow(0, seam - nearSeam, 2 * nearSeam).max().item<float>() > 1e-3 * peak);
        // ...while samples a vocoder receptive field (20 frames) away from every seam stay exact.
        var far = 20 * hop;
        Token2WavFixture.AssertRelativelyClose(offline.narrow(0, 0, seam - far), streamed.narrow(0, 0, seam - far), "far from the seam");
    }

    [Theory]
    [MemberData(nameof(EndToEndCases))]
    public void Token2Wav_stream_rejects_codes_outside_the_codec_table(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        using var model = Token2WavFixture.LoadToken2Wav(folder);
        using var scope = NewDisposeScope();
        using var stream = new StreamingToken2Wav(model, c.Input("speaker_cond"), c.Input("speaker_ref_mel"), c.Input("noise"));
        var table = model.code2wav_dit_model.text_embed.codec_embed.weight!.shape[0];

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => stream.Append([1, table]));
        Assert.Equal(table, (long)error.ActualValue!);
        Assert.Throws<ArgumentOutOfRangeException>(() => stream.Append([-1]));
        // A rejected batch adds nothing.
        Assert.Equal(0, stream.CodeCount);
    }

    [Theory]
    [MemberData(nameof(EndToEndCases))]
    public void Token2Wav_stream_refuses_more_codes_than_its_noise_covers(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        using var model = Token2WavFixture.LoadToken2Wav(folder);
        using var scope = NewDisposeScope();
        var noise = c.Input("noise");
        using var stream = new StreamingToken2Wav(model, c.Input("speaker_cond"), c.Input("speaker_ref_mel"), noise);

        var room = noise.shape[1] / model.Repeats;
        Assert.Equal(room, stream.MaxCodes);
        Assert.Throws<InvalidOperationException>(() => stream.Append(new long[room + 1]));
    }

    [Theory]
    [MemberData(nameof(EndToEndCases))]
    public void Token2Wav_stream_options_must_cut_whole_codes_and_blocks(string folder, string caseName)
    {
        _ = caseName;
        var config = Token2WavFixture.Config(folder).DitConfig;
        var reference = StreamingToken2WavOptions.Reference(config);

        reference.Validate(config);
        Assert.Throws<ArgumentException>(() => (reference with { FutureFrames = config.Repeats + 1 }).Validate(config));
        Assert.Throws<ArgumentException>(() => (reference with { ChunkFrames = config.BlockSize * config.Repeats + config.Repeats }).Validate(config));
        Assert.Throws<ArgumentException>(() => (reference with { VocoderOverlapFrames = reference.ChunkFrames / 2 + 1 }).Validate(config));
    }

    [Theory]
    [MemberData(nameof(EndToEndCases))]
    public void Token2Wav_exact_context_covers_the_ode_dependency_cone(string folder, string caseName)
    {
        _ = caseName;
        var config = Token2WavFixture.Config(folder).DitConfig;

        var exact = StreamingToken2WavOptions.ExactContext(config, chunkFrames: 48, vocoderOverlapFrames: 20, steps: 10);

        // 9 RK4 steps x 4 evaluations, each reaching one block per look-back / look-ahead layer.
        Assert.Equal(36 * config.LookBackwardLayers.Count * config.BlockSize, exact.PastFrames);
        Assert.Equal(36 * config.LookAheadLayers.Count * config.BlockSize, exact.FutureFrames);
    }

    [Fact]
    public void Token2Wav_noise_draw_is_seeded()
    {
        using var model = new Qwen25OmniToken2Wav(Token2WavFixture.Config(FixtureData.RequireFolder(FixtureCatalog.All[0])));
        using var a = StreamingToken2Wav.DrawNoise(model, 5, 16);
        using var b = StreamingToken2Wav.DrawNoise(model, 5, 16);
        using var other = StreamingToken2Wav.DrawNoise(model, 6, 16);

        Assert.Equal(0f, (a - b).abs().max().item<float>());
        Assert.True((a - other).abs().max().item<float>() > 0.1f);
        Assert.Equal([1L, 16, model.Config.DitConfig.MelDim], a.shape);
    }

    private static (long[] Codes, Tensor Noise) RandomUtterance(Qwen25OmniToken2Wav model)
    {
        var rng = new Random(7);
        var table = (int)model.code2wav_dit_model.text_embed.codec_embed.weight!.shape[0];
        var codes = Enumerable.Range(0, RandomCodes).Select(_ => (long)rng.Next(0, table)).ToArray();
        return (codes, StreamingToken2Wav.DrawNoise(model, 11, RandomCodes * model.Repeats + 10));
    }

    internal static List<Token2WavAudioChunk> StreamOneByOne(StreamingToken2Wav stream, long[] codes) =>
        StreamOneByOne(stream, codes, out _);

    private static List<Token2WavAudioChunk> StreamOneByOne(StreamingToken2Wav stream, long[] codes, out List<int> codesAtChunk)
    {
        var chunks = new List<Token2WavAudioChunk>();
        codesAtChunk = [];
        foreach (var code in codes)
        {
            foreach (var chunk in stream.Append([code]))
            {
                chunks.Add(chunk);
                codesAtChunk.Add(stream.CodeCount);
            }
        }
        chunks.Add(stream.Finish());
        codesAtChunk.Add(stream.CodeCount);
        return chunks;
    }

    internal static Tensor Concat(IEnumerable<Token2WavAudioChunk> chunks) =>
        tensor(chunks.SelectMany(c => c.Samples).ToArray());
}
