namespace Streamer.Models.Processing;

/// <summary>A chat turn: a role ("system", "user", "assistant") and its content parts in order.</summary>
public sealed record ChatTemplateMessage(string Role, IReadOnlyList<ChatTemplatePart> Parts)
{
    public const string SystemRole = "system";
    public const string UserRole = "user";
    public const string AssistantRole = "assistant";

    public static ChatTemplateMessage System(string text) => new(SystemRole, [ChatTemplatePart.FromText(text)]);

    public static ChatTemplateMessage User(params ChatTemplatePart[] parts) => new(UserRole, parts);

    public static ChatTemplateMessage User(string text) => new(UserRole, [ChatTemplatePart.FromText(text)]);

    public static ChatTemplateMessage Assistant(string text) => new(AssistantRole, [ChatTemplatePart.FromText(text)]);
}
