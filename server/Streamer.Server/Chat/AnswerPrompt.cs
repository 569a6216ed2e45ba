using Streamer.Models.Processing;
using Streamer.Server.Models;

namespace Streamer.Server.Chat;

/// <summary>
/// The chat layout split around the live video: the sink is everything before it (system turn,
/// the user turn's start and &lt;|vision_bos|&gt;), the question everything after it
/// (&lt;|vision_eos|&gt;, the question, the end of the user turn and the assistant's start).
/// </summary>
public static class AnswerPrompt
{
    private const string VisionStart = "<|vision_bos|>";
    private const string VisionEnd = "<|vision_eos|>";

    public static long[] SinkIds(LoadedThinker model)
    {
        var system = ChatTemplate.Render([ChatTemplateMessage.System(ChatTemplate.DefaultSystemPrompt)], addGenerationPrompt: false);
        var text = system + ChatTemplate.ImStart + ChatTemplateMessage.UserRole + "\n" + VisionStart;
        return [.. model.Tokenizer.Encode(text).Select(i => (long)i)];
    }

    /// <summary>The question's ids; its text is the user's, so special tokens written in it stay plain text.</summary>
    public static long[] QuestionIds(LoadedThinker model, string question)
    {
        var tokenizer = model.Tokenizer;
        var tail = ChatTemplate.ImEnd + "\n" + ChatTemplate.ImStart + ChatTemplateMessage.AssistantRole + "\n";
        return [.. tokenizer.Encode(VisionEnd).Concat(tokenizer.Encode(question, parseSpecialTokens: false)).Concat(tokenizer.Encode(tail))
            .Select(i => (long)i)];
    }
}
