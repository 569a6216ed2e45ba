using Streamer.Models.Qwen25Omni;
using Streamer.Models.Tests.Fixtures;
using static TorchSharp.torch;

namespace Streamer.Models.Tests.Qwen25Omni;

[Trait("Category", "Parity")]
public sealed class Token2WavDiTParityTests
{
    public static TheoryData<string, string> ForwardCases => FixtureData.Case("token2wav_dit_forward");

    [Theory]
    [MemberData(nameof(ForwardCases))]
    public void Token2Wav_DiT_forward_with_guidance_matches_reference(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        using var dit = Token2WavFixture.LoadDiT(folder);
        using var scope = NewDisposeScope();

        var output = dit.forward(c.Input("x"), c.Input("reference_mel"), c.Input("speaker_embedding"), c.Input("codes"), c.Input("time_step"));

        // Row 0 conditional, row 1 unconditional.
        ThinkerFixture.AssertClose(c.Output("output_cfg"), output, "output_cfg");
    }

    [Theory]
    [MemberData(nameof(ForwardCases))]
    public void Token2Wav_DiT_forward_without_guidance_matches_reference(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        using var dit = Token2WavFixture.LoadDiT(folder);
        using var scope = NewDisposeScope();

        var output = dit.forward(c.Input("x"), c.Input("reference_mel"), c.Input("speaker_embedding"), c.Input("codes"), c.Input("time_step"), applyCfg: false);

        ThinkerFixture.AssertClose(c.Output("output_no_cfg"), output, "output_no_cfg");
        // The conditional half of the guided batch is the same computation.
        ThinkerFixture.AssertClose(c.Output("output_cfg").narrow(0, 0, 1), output, "conditional row", 1e-5);
    }
}
