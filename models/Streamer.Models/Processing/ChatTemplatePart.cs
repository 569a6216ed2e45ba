namespace Streamer.Models.Processing;

/// <summary>One content part of a message: text, or the placeholder of an image, video or audio clip.</summary>
public sealed record ChatTemplatePart(ChatTemplatePartKind Kind, string Text)
{
    public static ChatTemplatePart Image { get; } = new(ChatTemplatePartKind.Image, string.Empty);

    public static ChatTemplatePart Video { get; } = new(ChatTemplatePartKind.Video, string.Empty);

    public static ChatTemplatePart Audio { get; } = new(ChatTemplatePartKind.Audio, string.Empty);

    public static ChatTemplatePart FromText(string text) => new(ChatTemplatePartKind.Text, text);
}
