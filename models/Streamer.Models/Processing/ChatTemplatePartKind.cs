namespace Streamer.Models.Processing;

/// <summary>What a content part of a chat message is.</summary>
public enum ChatTemplatePartKind
{
    Text,
    Image,
    Video,
    Audio,
}
