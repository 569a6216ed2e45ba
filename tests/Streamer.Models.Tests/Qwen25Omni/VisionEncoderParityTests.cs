using Streamer.Models.Qwen25Omni;
using Streamer.Models.Tests.Fixtures;
using static TorchSharp.torch;

namespace Streamer.Models.Tests.Qwen25Omni;

[Trait("Category", "Parity")]
public sealed class VisionEncoderParityTests
{
    public static TheoryData<string, string> VisionCases => FixtureData.CasesMatching("vision_", "");

    internal static Qwen25OmniVisionEncoder LoadEncoder(string folder) =>
        FixtureWeights.LoadPart(folder,
            new Qwen25OmniVisionEncoder(Qwen25OmniConfig.Load(FixtureData.RequireFolder(folder)).ThinkerConfig.VisionConfig), "thinker.visual.");

    [Theory]
    [MemberData(nameof(VisionCases))]
    public void Window_layout_matches_reference_index_boundaries_and_rotary_ids(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        using var scope = NewDisposeScope();
        var config = c.Config.ThinkerConfig.VisionConfig;

        var layout = Qwen25OmniVisionLayout.Compute(config, Qwen25OmniVisionLayout.ReadGrids(c.Input("grid_thw")));

        ThinkerFixture.AssertEqualLongs(c.Output("window_index"), tensor(layout.WindowIndex), "window_index");
        ThinkerFixture.AssertEqualLongs(c.Output("cu_window_seqlens"), tensor(layout.CuWindowSeqlens), "cu_window_seqlens");
        ThinkerFixture.AssertEqualLongs(c.Output("cu_seqlens"), tensor(layout.CuSeqlens), "cu_seqlens");
        ThinkerFixture.AssertEqualLongs(c.Output("rotary_position_ids"), tensor(layout.RotaryPositionIds, [layout.PatchCount, 2]), "rotary_position_ids");
    }

    [Theory]
    [MemberData(nameof(VisionCases))]
    public void Encoder_matches_reference_merged_embeddings_and_window_ordered_hidden_state(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        using var encoder = LoadEncoder(folder);
        using var scope = NewDisposeScope();

        using var output = encoder.forward(c.Input("pixel_values"), c.Input("grid_thw"));

        ThinkerFixture.AssertClose(c.Output("last_hidden_state_window_order"), output.LastHiddenState, "last_hidden_state_window_order");
        ThinkerFixture.AssertClose(c.Output("merged_embeddings"), output.MergedEmbeddings, "merged_embeddings");
    }
}
