using System.Text;
using Streamer.Models.Qwen25Omni;
using Streamer.Models.Tests.Fixtures;
using static TorchSharp.torch;

namespace Streamer.Models.Tests.Qwen25Omni;

/// <summary>Properties of token2wav that hold for any weights, plus its config and math helpers.</summary>
public sealed class Token2WavBehaviourTests
{
    public static TheoryData<string, string> ForwardCases => FixtureData.Case("token2wav_dit_forward");

    public static TheoryData<string> Folders => FixtureData.Folders();

    [Theory]
    [MemberData(nameof(Folders))]
    public void Token2Wav_config_reads_every_size_from_the_fixture_config(string folder)
    {
        var config = Token2WavFixture.Config(folder);
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "config.json")));
        var dit = doc.RootElement.GetProperty("token2wav_config").GetProperty("dit_config");
        var vocoder = doc.RootElement.GetProperty("token2wav_config").GetProperty("bigvgan_config");

        Assert.Equal(dit.GetProperty("hidden_size").GetInt32(), config.DitConfig.HiddenSize);
        Assert.Equal(dit.GetProperty("block_size").GetInt32(), config.DitConfig.BlockSize);
        Assert.Equal(dit.GetProperty("enc_channels").EnumerateArray().Select(e => e.GetInt32()), config.DitConfig.EncChannels);
        Assert.Equal(dit.GetProperty("look_backward_layers").EnumerateArray().Select(e => e.GetInt32()), config.DitConfig.LookBackwardLayers);
        Assert.Equal(dit.GetProperty("rope_parameters").GetProperty("rope_theta").GetDouble(), config.DitConfig.RopeTheta);
        Assert.Equal(
            config.DitConfig.MelDim + config.DitConfig.EncDim + config.DitConfig.EncEmbDim + config.DitConfig.EmbDim,
            config.DitConfig.InputWidth);
        Assert.Equal(vocoder.GetProperty("upsample_rates").EnumerateArray().Aggregate(1, (a, e) => a * e.GetInt32()), config.BigVGANConfig.HopLength);
        Assert.Equal(vocoder.GetProperty("resblock_dilation_sizes").GetArrayLength(), config.BigVGANConfig.ResblockDilationSizes.Count);
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public void Token2Wav_config_without_token2wav_section_is_rejected(string folder)
    {
        var root = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(FixtureData.RequireFolder(folder), "config.json")))!.AsObject();
        root.Remove("token2wav_config");
        var parsed = Qwen25OmniConfig.Parse(new MemoryStream(Encoding.UTF8.GetBytes(root.ToJsonString())), "test");

        Assert.Throws<InvalidDataException>(() => Qwen25OmniToken2WavConfig.From(parsed, "test"));
    }

    [Fact]
    public void Token2Wav_block_mask_allows_the_configured_neighbour_blocks_only()
    {
        // 6 frames in blocks of 2: block ids 0 0 1 1 2 2; one block back, none ahead.
        using var mask = DiTMath.BlockMask(6, 2, lookBackward: 1, lookAhead: 0, CPU);
        bool[,] expected =
        {
            { true, true, false, false, false, false },  // frame 0, block 0: itself
            { true, true, false, false, false, false },  // frame 1, block 0
            { true, true, true, true, false, false },    // frame 2, block 1: blocks 0-1
            { true, true, true, true, false, false },    // frame 3, block 1
            { false, false, true, true, true, true },    // frame 4, block 2: blocks 1-2
            { false, false, true, true, true, true },    // frame 5, block 2
        };

        var actual = mask.data<bool>().ToArray();
        for (var i = 0; i < 6; i++)
        {
            for (var j = 0; j < 6; j++)
            {
                Assert.True(expected[i, j] == actual[i * 6 + j], $"frame {i} -> {j}");
            }
        }
    }

    [Fact]
    public void Token2Wav_RK4_integrates_a_cubic_exactly_and_an_exponential_closely()
    {
        using var scope = NewDisposeScope();
        var points = Qwen25OmniToken2Wav.TimePoints(10, -1.0).to_type(ScalarType.Float64);

        // dy/dt = 3 t^2: a fourth-order rule is exact for it, whatever the (uneven) steps.
        var cubic = RungeKutta4OdeSolver.IntegrateToEnd((t, y) => (t * t * 3).expand_as(y), zeros(1, dtype: ScalarType.Float64), points);
        // dy/dt = y from 1 to e.
        var exponential = RungeKutta4OdeSolver.IntegrateToEnd((t, y) => y.clone(), ones(1, dtype: ScalarType.Float64), points);

        Assert.Equal(1.0, cubic.item<double>(), 12);
        Assert.Equal(Math.E, exponential.item<double>(), 4);
    }

    [Theory]
    [MemberData(nameof(ForwardCases))]
    public void Token2Wav_DiT_dropped_conditions_equal_the_unconditional_guidance_row(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        using var dit = Token2WavFixture.LoadDiT(folder);
        using var scope = NewDisposeScope();
        var (x, mel, spk, codes, t) = (c.Input("x"), c.Input("reference_mel"), c.Input("speaker_embedding"), c.Input("codes"), c.Input("time_step"));

        var guided = dit.forward(x, mel, spk, codes, t);
        var dropped = dit.forward(x, mel, spk, codes, t, applyCfg: false, dropAudioConditioning: true, dropCode: true);

        ThinkerFixture.AssertClose(guided.narrow(0, 1, 1), dropped, "unconditional row", 1e-5);
    }

    [Theory]
    [MemberData(nameof(ForwardCases))]
    public void Token2Wav_DiT_first_block_ignores_frames_beyond_its_receptive_field(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        using var dit = Token2WavFixture.LoadDiT(folder);
        using var scope = NewDisposeScope();
        var (x, mel, spk, codes, t) = (c.Input("x"), c.Input("reference_mel"), c.Input("speaker_embedding"), c.Input("codes"), c.Input("time_step"));
        var block = dit.Config.BlockSize;
        // Every layer looks at most one block ahead, so block 0 sees at most blocks 0..layers.
        var reach = block * (1 + dit.Config.LookAheadLayers.Count);
        Assert.True(reach < x.shape[1], "the fixture is too short for this check");
        var changed = x.clone();
        changed.narrow(1, reach, x.shape[1] - reach).add_(5.0);

        var before = dit.forward(x, mel, spk, codes, t, applyCfg: false);
        var after = dit.forward(changed, mel, spk, codes, t, applyCfg: false);

        ThinkerFixture.AssertClose(before.narrow(1, 0, block), after.narrow(1, 0, block), "first block", 1e-5);
        var farDiff = (before.narrow(1, reach, block) - after.narrow(1, reach, block)).abs().max().item<float>();
        Assert.True(farDiff > 1e-3, $"changed frames should change their own outputs, diff {farDiff:E2}");
    }
}
