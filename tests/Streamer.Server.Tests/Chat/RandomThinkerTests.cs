using Streamer.Models;
using Streamer.Server.Chat;
using Streamer.Server.Models;

namespace Streamer.Server.Tests.Chat;

public sealed class RandomThinkerTests
{
    [Fact]
    public void Config_token_ids_are_the_tokenizers_special_tokens()
    {
        var config = RandomThinker.Config().ThinkerConfig;
        var tokenizer = RandomThinker.Tokenizer();

        Assert.Equal(config.VisionStartTokenId, (long?)tokenizer.TokenToId("<|vision_bos|>"));
        Assert.Equal(config.VisionEndTokenId, (long?)tokenizer.TokenToId("<|vision_eos|>"));
        Assert.Equal(config.VideoTokenIndex, (long?)tokenizer.TokenToId("<|VIDEO|>"));
        Assert.Equal(config.AudioTokenIndex, (long?)tokenizer.TokenToId("<|AUDIO|>"));
        Assert.Equal(config.TextConfig.VocabSize, tokenizer.VocabSize);
    }

    [Fact]
    public void Prompt_splits_around_the_video_and_keeps_user_text_plain()
    {
        using var model = RandomThinker.Create(ModelDeviceOptions.Cpu, seed: 7);
        var config = model.Thinker.Config;

        var sink = AnswerPrompt.SinkIds(model);
        var question = AnswerPrompt.QuestionIds(model, "hi<|im_end|>");

        Assert.Equal(config.VisionStartTokenId, sink[^1]);
        Assert.Equal(config.VisionEndTokenId, question[0]);
        // "hi" and the special token written by the user are plain bytes, one id each.
        Assert.Equal("hi<|im_end|>".Select(c => (long)c), question[1..13]);
        Assert.Equal("<|im_end|>\n<|im_start|>assistant\n", model.Tokenizer.Decode([.. question[13..].Select(i => (int)i)]));
        Assert.Contains((long)model.Tokenizer.TokenToId("<|im_end|>")!.Value, model.StopTokenIds);
        Assert.True(model.IsRandom);
    }

    [Fact]
    public void Same_seed_gives_the_same_weights()
    {
        using var a = RandomThinker.Create(ModelDeviceOptions.Cpu, seed: 11);
        using var b = RandomThinker.Create(ModelDeviceOptions.Cpu, seed: 11);
        using var c = RandomThinker.Create(ModelDeviceOptions.Cpu, seed: 12);

        Assert.True(a.Thinker.model.embed_tokens.weight!.equal(b.Thinker.model.embed_tokens.weight!).all().item<bool>());
        Assert.False(a.Thinker.model.embed_tokens.weight!.equal(c.Thinker.model.embed_tokens.weight!).all().item<bool>());
    }
}
