using System.Text;

namespace Streamer.Media.Rtsp;

/// <summary>
/// An RTSP/1.0 request (RFC 2326 section 6):
/// <code>
/// DESCRIBE rtsp://camera/stream RTSP/1.0\r\n
/// CSeq: 2\r\n
/// Accept: application/sdp\r\n
/// \r\n
/// </code>
/// Requests the client sends carry no body. Unlike packet types this is text, built once per
/// request, so it has no MarshalTo.
/// </summary>
public sealed class RtspRequest
{
    public RtspRequest(string method, string uri)
    {
        Method = method;
        Uri = uri;
    }

    public string Method { get; }

    /// <summary>The request URI, without credentials.</summary>
    public string Uri { get; }

    public List<RtspHeader> Headers { get; } = [];

    public RtspRequest With(string name, string value)
    {
        Headers.Add(new RtspHeader(name, value));
        return this;
    }

    /// <summary>The request as sent: ASCII text (a request is a few hundred bytes, once per second at most).</summary>
    public byte[] ToBytes() => Encoding.ASCII.GetBytes(ToString());

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(Method).Append(' ').Append(Uri).Append(" RTSP/1.0\r\n");
        foreach (var header in Headers)
        {
            text.Append(header.Name).Append(": ").Append(header.Value).Append("\r\n");
        }
        return text.Append("\r\n").ToString();
    }
}
