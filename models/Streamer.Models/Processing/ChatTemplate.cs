using System.Text;

namespace Streamer.Models.Processing;

/// <summary>
/// Renders a conversation in Qwen2.5-Omni's chat layout, as its released chat template does:
/// <code>
/// &lt;|im_start|&gt;system\n{system}&lt;|im_end|&gt;\n
/// &lt;|im_start|&gt;user\n{parts}&lt;|im_end|&gt;\n
/// &lt;|im_start|&gt;assistant\n{answer}&lt;|im_end|&gt;\n ...
/// &lt;|im_start|&gt;assistant\n          (the generation prompt)
/// </code>
/// Media parts become one placeholder each (<see cref="VideoPlaceholder"/>); the processor
/// later expands the middle token to one per vision or audio embedding.
/// </summary>
public static class ChatTemplate
{
    /// <summary>
    /// The system prompt Qwen2.5-Omni was trained with for speech output; its talker expects it.
    /// The template's own fallback for a conversation without one is "You are a helpful assistant.".
    /// </summary>
    public const string DefaultSystemPrompt =
        "You are Qwen, a virtual human developed by the Qwen Team, Alibaba Group, capable of perceiving " +
        "auditory and visual inputs, as well as generating text and speech.";

    public const string ImStart = "<|im_start|>";
    public const string ImEnd = "<|im_end|>";
    public const string ImagePlaceholder = "<|vision_bos|><|IMAGE|><|vision_eos|>";
    public const string VideoPlaceholder = "<|vision_bos|><|VIDEO|><|vision_eos|>";
    public const string AudioPlaceholder = "<|audio_bos|><|AUDIO|><|audio_eos|>";

    /// <summary>
    /// Renders <paramref name="messages"/>. When the first message is not a system message, one
    /// with <paramref name="defaultSystemPrompt"/> is put first. With
    /// <paramref name="addGenerationPrompt"/> the text ends with an open assistant turn.
    /// </summary>
    public static string Render(
        IReadOnlyList<ChatTemplateMessage> messages,
        bool addGenerationPrompt = true,
        string defaultSystemPrompt = DefaultSystemPrompt)
    {
        var text = new StringBuilder();
        if (messages.Count == 0 || messages[0].Role != ChatTemplateMessage.SystemRole)
        {
            AppendTurn(text, ChatTemplateMessage.System(defaultSystemPrompt));
        }

        foreach (var message in messages)
        {
            AppendTurn(text, message);
        }

        if (addGenerationPrompt)
        {
            text.Append(ImStart).Append(ChatTemplateMessage.AssistantRole).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Renders one user question about the stream with the default system prompt.</summary>
    public static string RenderQuestion(string question, params ChatTemplatePart[] media) =>
        Render([ChatTemplateMessage.User([.. media, ChatTemplatePart.FromText(question)])]);

    private static void AppendTurn(StringBuilder text, ChatTemplateMessage message)
    {
        text.Append(ImStart).Append(message.Role).Append('\n');
        foreach (var part in message.Parts)
        {
            text.Append(part.Kind switch
            {
                ChatTemplatePartKind.Text => part.Text,
                ChatTemplatePartKind.Image => ImagePlaceholder,
                ChatTemplatePartKind.Video => VideoPlaceholder,
                ChatTemplatePartKind.Audio => AudioPlaceholder,
                _ => throw new ArgumentOutOfRangeException(nameof(message), part.Kind, "Unknown content part kind."),
            });
        }

        text.Append(ImEnd).Append('\n');
    }
}
