namespace Streamer.Server.Sessions;

/// <summary>The JSON shape of a session in the API (camelCase on the wire).</summary>
public sealed record SessionDto(
    string Id,
    string Kind,
    string State,
    DateTimeOffset CreatedAt,
    VideoDto Video,
    SourceDto? Source,
    string? Error,
    string? MemoryPolicy)
{
    public static SessionDto From(Session session) => new(
        session.Id,
        session.Kind switch { SessionKind.WebRtc => "webrtc", SessionKind.Rtsp => "rtsp", _ => session.Kind.ToString().ToLowerInvariant() },
        session.State.ToString().ToLowerInvariant(),
        session.CreatedAt,
        new VideoDto(session.Video.Codec, session.Video.Width, session.Video.Height, session.Video.FramesDecoded, session.Video.Fps,
            session.Video.DecodeErrors, session.VideoKbps),
        session.DescribeSource(),
        session.Error,
        session.MemoryPolicy);
}

/// <summary>The decoded video; <see cref="BitrateKbps"/> is the video received from the source (kbit/s over the last seconds).</summary>
public sealed record VideoDto(string? Codec, int Width, int Height, long FramesDecoded, double Fps, long DecodeErrors, double BitrateKbps);
