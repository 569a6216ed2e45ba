namespace Streamer.Media.Rtsp;

/// <summary>A camera's user name and password. <see cref="ToString"/> never shows the password.</summary>
public sealed class RtspCredentials(string userName, string password)
{
    public string UserName { get; } = userName;

    public string Password { get; } = password;

    public override string ToString() => $"{UserName}:***";
}
