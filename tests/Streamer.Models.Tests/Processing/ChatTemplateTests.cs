using Streamer.Models.Processing;

namespace Streamer.Models.Tests.Processing;

public sealed class ChatTemplateTests
{
    private const string OmniSystem =
        "You are Qwen, a virtual human developed by the Qwen Team, Alibaba Group, capable of perceiving " +
        "auditory and visual inputs, as well as generating text and speech.";

    [Fact]
    public void Render_video_question_matches_the_released_template_output()
    {
        var text = ChatTemplate.Render([ChatTemplateMessage.User(ChatTemplatePart.Video, ChatTemplatePart.FromText("What is the person holding?"))]);

        Assert.Equal(
            "<|im_start|>system\n" + OmniSystem + "<|im_end|>\n" +
            "<|im_start|>user\n<|vision_bos|><|VIDEO|><|vision_eos|>What is the person holding?<|im_end|>\n" +
            "<|im_start|>assistant\n",
            text);
        Assert.Equal(text, ChatTemplate.RenderQuestion("What is the person holding?", ChatTemplatePart.Video));
    }

    [Fact]
    public void Render_multi_turn_history_keeps_order_and_every_placeholder()
    {
        ChatTemplateMessage[] messages =
        [
            ChatTemplateMessage.System("Be brief."),
            ChatTemplateMessage.User(ChatTemplatePart.Image, ChatTemplatePart.FromText("What is this?")),
            ChatTemplateMessage.Assistant("A red car."),
            ChatTemplateMessage.User(ChatTemplatePart.Audio, ChatTemplatePart.Video, ChatTemplatePart.FromText("And now?")),
        ];

        Assert.Equal(
            "<|im_start|>system\nBe brief.<|im_end|>\n" +
            "<|im_start|>user\n<|vision_bos|><|IMAGE|><|vision_eos|>What is this?<|im_end|>\n" +
            "<|im_start|>assistant\nA red car.<|im_end|>\n" +
            "<|im_start|>user\n<|audio_bos|><|AUDIO|><|audio_eos|><|vision_bos|><|VIDEO|><|vision_eos|>And now?<|im_end|>\n" +
            "<|im_start|>assistant\n",
            ChatTemplate.Render(messages));
    }

    [Fact]
    public void Render_without_generation_prompt_ends_after_the_last_turn()
    {
        var text = ChatTemplate.Render([ChatTemplateMessage.User("hi")], addGenerationPrompt: false, defaultSystemPrompt: "S");

        Assert.Equal("<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nhi<|im_end|>\n", text);
    }
}
