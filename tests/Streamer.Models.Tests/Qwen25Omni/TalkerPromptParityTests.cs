using Streamer.Models.Generation;
using Streamer.Models.Qwen25Omni;
using Streamer.Models.Tests.Fixtures;
using static TorchSharp.torch;

namespace Streamer.Models.Tests.Qwen25Omni;

[Trait("Category", "Parity")]
public sealed class TalkerPromptParityTests
{
    public static TheoryData<string, string> EndToEndCases => FixtureData.Case("e2e_generate");

    [Theory]
    [MemberData(nameof(EndToEndCases))]
    public void Talker_prompt_built_from_the_thinker_reply_matches_the_reference_talker_inputs(string folder, string caseName)
    {
        using var e2e = FixtureCase.Open(folder, caseName);
        using var talkerCase = FixtureCase.Open(folder, "talker");
        // The e2e case reuses the thinker prompt case's tensors; its input_ids key names that case.
        using var promptCase = FixtureCase.Open(folder, e2e.Inputs["input_ids"].Key.Split('/')[0]);
        using var thinker = ThinkerFixture.Load(folder);
        var talkerConfig = TalkerFixture.Config(folder);
        using var scope = NewDisposeScope();
        var ids = e2e.Input("input_ids");
        var length = ids.shape[1];
        var sequence = e2e.Output("sequences");
        var fed = sequence.narrow(1, length, sequence.shape[1] - length - 1);
        var fedCount = fed.shape[1];

        // Thinker hidden states of the prompt and of every fed-back reply token, in one uncached pass.
        var (positions, deltas) = ThinkerParityTests.ComputeRopeIndex(promptCase, thinker.Config);
        var promptEmbeds = promptCase.Output("inputs_embeds");
        var embeds = cat([promptEmbeds, thinker.Embed(fed)], 1);
        var allPositions = cat([positions, Qwen25OmniRopeIndex.DecodePositions(deltas, length, fedCount)], 2);
        using var output = thinker.forward(null, embeds, allPositions, null, null, logitsToKeep: 1);
        var hidden = output.LastHiddenState;

        var prompt = TalkerPromptBuilder.Build(thinker, talkerConfig, ids, promptEmbeds, hidden.narrow(1, 0, length),
            fed, hidden.narrow(1, length, fedCount), e2e.Input("speaker_bos_token").item<long>(), e2e.Input("attention_mask"));

        ThinkerFixture.AssertEqualLongs(talkerCase.Input("input_text_ids"), prompt.InputTextIds, "input_text_ids");
        ThinkerFixture.AssertEqualLongs(talkerCase.Input("attention_mask"), prompt.AttentionMask!, "attention_mask");
        ThinkerFixture.AssertClose(talkerCase.Input("inputs_embeds"), prompt.InputsEmbeds, "inputs_embeds");
        ThinkerFixture.AssertClose(talkerCase.Input("thinker_reply_part"), prompt.ThinkerReplyPart, "thinker_reply_part");
    }
}
