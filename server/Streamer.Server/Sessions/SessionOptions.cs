namespace Streamer.Server.Sessions;

public sealed class SessionOptions
{
    public const string Section = "Sessions";

    /// <summary>Sessions one token may hold at once.</summary>
    public int MaxSessionsPerToken { get; set; } = 4;

    /// <summary>Sessions the whole server holds at once.</summary>
    public int MaxSessions { get; set; } = 64;
}
