namespace Streamer.Media.Srtp;

/// <summary>Limits of one <see cref="SrtpContext"/>.</summary>
public sealed class SrtpOptions
{
    /// <summary>
    /// Most SSRCs tracked per packet kind; packets of further SSRCs are rejected with
    /// <see cref="ParseError.UnknownStream"/> so a peer cannot grow our state without bound.
    /// </summary>
    public int MaxStreams { get; set; } = 64;

    /// <summary>Packets tracked behind the highest index; RFC 3711 section 3.3.2 asks for at least 64.</summary>
    public int ReplayWindowSize { get; set; } = 128;

    internal void Validate()
    {
        if (MaxStreams < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxStreams), MaxStreams, "At least one stream.");
        }

        if (ReplayWindowSize is < 64 or > 32768)
        {
            throw new ArgumentOutOfRangeException(nameof(ReplayWindowSize), ReplayWindowSize, "Between 64 and 32768.");
        }
    }
}
