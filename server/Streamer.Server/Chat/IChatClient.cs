namespace Streamer.Server.Chat;

/// <summary>What the chat hub calls on its clients.</summary>
public interface IChatClient
{
    /// <summary>An event of a session the client joined.</summary>
    Task SessionEvent(SessionEvent sessionEvent);
}
