namespace Streamer.Server.Auth;

/// <summary>Bearer tokens accepted by every API. Bound from <c>Auth</c>; <c>STREAMER_TOKENS</c> adds more.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>Accepted tokens. A single comma-separated string is accepted as well as a list.</summary>
    public List<string> Tokens { get; set; } = [];

    /// <summary>Minimum token length; short tokens are guessable and rejected at start.</summary>
    public int MinTokenLength { get; set; } = 16;
}
