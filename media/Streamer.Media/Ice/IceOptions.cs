namespace Streamer.Media.Ice;

/// <summary>Settings of the ICE-lite agent.</summary>
public sealed record IceOptions
{
    /// <summary>
    /// How long the selected pair stays usable without a valid check from the peer. RFC 7675
    /// section 5.1 says 30 seconds; Chromium sends a consent check every few seconds.
    /// </summary>
    public TimeSpan ConsentTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many remote addresses are remembered for consent; older ones are forgotten first.</summary>
    public int MaxRemoteAddresses { get; init; } = 16;
}
