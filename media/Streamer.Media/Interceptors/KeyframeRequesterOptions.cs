namespace Streamer.Media.Interceptors;

public sealed record KeyframeRequesterOptions
{
    /// <summary>Requests for one stream closer together than this are dropped.</summary>
    public TimeSpan MinInterval { get; init; } = TimeSpan.FromMilliseconds(500);
}
