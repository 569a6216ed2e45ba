using System.Text;
using Streamer.Media.Rtsp;

namespace Streamer.Media.Tests.Rtsp;

public sealed class RtspResponseTests
{
    [Fact]
    public void Describe_reply_with_body_parses_and_reports_bytes_consumed()
    {
        var text =
            "RTSP/1.0 200 OK\r\n" +                      // status line
            "CSeq: 3\r\n" +                              // answers request 3
            "Content-Base: rtsp://cam/live/\r\n" +       // base for control URLs
            "Content-Length: 5\r\n" +                    // body length
            "\r\n" +                                     // end of headers
            "v=0\r\n" +                                  // body
            "$";                                         // next message (interleaved) starts here
        var bytes = Encoding.ASCII.GetBytes(text);
        Assert.True(RtspResponse.TryParse(bytes, out var response, out var consumed, out var error));
        Assert.Equal(ParseError.None, error);
        Assert.Equal(200, response!.StatusCode);
        Assert.Equal("OK", response.ReasonPhrase);
        Assert.Equal(3, response.CSeq);
        Assert.Equal("rtsp://cam/live/", response.GetHeader("content-base"));
        Assert.Equal("v=0\r\n", response.BodyText);
        Assert.Equal(bytes.Length - 1, consumed);
    }

    [Fact]
    public void Every_prefix_of_a_reply_is_incomplete_not_malformed()
    {
        var bytes = Encoding.ASCII.GetBytes("RTSP/1.0 401 Unauthorized\r\nCSeq: 1\r\nContent-Length: 2\r\n\r\nab");
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.False(RtspResponse.TryParse(bytes.AsSpan(0, length), out _, out _, out var error));
            Assert.Equal(ParseError.TooShort, error);
        }
        Assert.True(RtspResponse.TryParse(bytes, out var response, out _, out _));
        Assert.Equal(401, response!.StatusCode);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\n\r\n", ParseError.BadMagic)]                          // not RTSP
    [InlineData("garbage", ParseError.BadMagic)]                                          // not even a status line yet
    [InlineData("RTSP/9.9 200 OK\r\n\r\n", ParseError.BadVersion)]                        // unknown version
    [InlineData("RTSP/1.0 2x0 OK\r\n\r\n", ParseError.Malformed)]                         // status not a number
    [InlineData("RTSP/1.0 200OK\r\n\r\n", ParseError.Malformed)]                          // no space after the code
    [InlineData("RTSP/1.0 200 OK\r\nNoColon\r\n\r\n", ParseError.BadAttribute)]           // header without ':'
    [InlineData("RTSP/1.0 200 OK\r\nContent-Length: -1\r\n\r\n", ParseError.BadLength)]   // negative length
    [InlineData("RTSP/1.0 200 OK\r\nContent-Length: 99999999\r\n\r\n", ParseError.BadLength)] // beyond MaxBodyBytes
    public void Bad_reply_is_rejected_with_its_error(string text, ParseError expected)
    {
        Assert.False(RtspResponse.TryParse(Encoding.ASCII.GetBytes(text), out _, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Header_block_beyond_the_limit_is_rejected()
    {
        var bytes = Encoding.ASCII.GetBytes("RTSP/1.0 200 OK\r\nX: " + new string('a', RtspResponse.MaxHeaderBytes));
        Assert.False(RtspResponse.TryParse(bytes, out _, out _, out var error));
        Assert.Equal(ParseError.BadLength, error);
    }

    [Fact]
    public void Bare_lf_line_ends_are_accepted()
    {
        var bytes = Encoding.ASCII.GetBytes("RTSP/1.0 200 OK\nCSeq: 7\n\n");
        Assert.True(RtspResponse.TryParse(bytes, out var response, out var consumed, out _));
        Assert.Equal(7, response!.CSeq);
        Assert.Equal(bytes.Length, consumed);
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        var random = new Random(2326);
        var seed = Encoding.ASCII.GetBytes("RTSP/1.0 200 OK\r\nCSeq: 1\r\nContent-Length: 4\r\n\r\nbody");
        var buffer = new byte[128];
        for (var i = 0; i < 5000; i++)
        {
            var length = random.Next(buffer.Length);
            if (random.Next(2) == 0)
            {
                // Mutate a valid reply so the parser gets past the status line.
                seed.CopyTo(buffer, 0);
                buffer[random.Next(seed.Length)] = (byte)random.Next(256);
                length = Math.Max(length, seed.Length);
            }
            else
            {
                random.NextBytes(buffer);
            }
            RtspResponse.TryParse(buffer.AsSpan(0, length), out _, out _, out _);
        }
    }
}
