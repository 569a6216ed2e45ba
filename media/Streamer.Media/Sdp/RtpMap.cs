namespace Streamer.Media.Sdp;

/// <summary><c>a=rtpmap:&lt;payload type&gt; &lt;encoding name&gt;/&lt;clock rate&gt;[/&lt;channels&gt;]</c>.</summary>
public sealed record RtpMap(int PayloadType, string EncodingName, int ClockRate, int Channels)
{
    internal static bool TryParse(string value, out RtpMap? map)
    {
        map = null;
        int space = value.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0 || !int.TryParse(value.AsSpan(0, space), out int payloadType) || payloadType is < 0 or > 127)
        {
            return false;
        }
        string[] parts = value[(space + 1)..].Trim().Split('/');
        if (parts.Length is < 2 or > 3 || parts[0].Length == 0 || !int.TryParse(parts[1], out int clockRate) || clockRate <= 0)
        {
            return false;
        }
        int channels = 1;
        if (parts.Length == 3 && (!int.TryParse(parts[2], out channels) || channels <= 0))
        {
            return false;
        }
        map = new RtpMap(payloadType, parts[0], clockRate, channels);
        return true;
    }

    public override string ToString() =>
        Channels > 1 ? $"{PayloadType} {EncodingName}/{ClockRate}/{Channels}" : $"{PayloadType} {EncodingName}/{ClockRate}";
}
