namespace Streamer.Models.Speech;

/// <summary>
/// The checkpoint cannot speak (no token2wav config or weights, or no speaker dictionary); the
/// server answers in text only and says so.
/// </summary>
public sealed class SpeechUnavailableException : Exception
{
    public SpeechUnavailableException()
    {
    }

    public SpeechUnavailableException(string message) : base(message)
    {
    }

    public SpeechUnavailableException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
