using Streamer.Media.Rtsp;

namespace Streamer.Media.Tests.Rtsp;

public sealed class RtspAuthenticatorTests
{
    [Fact]
    public void Digest_with_qop_auth_matches_the_rfc_2617_example()
    {
        // RFC 2617 section 3.5: the expected response is 6629fae49393a05397450978507c4ef1.
        Assert.True(RtspAuthChallenge.TryParse(
            "Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"",
            out var challenge, out _));
        var authenticator = new RtspAuthenticator(new RtspCredentials("Mufasa", "Circle Of Life"), challenge!, () => "0a4f113b");
        var header = authenticator.Authorize("GET", "/dir/index.html");
        Assert.Contains("response=\"6629fae49393a05397450978507c4ef1\"", header);
        Assert.Contains("qop=auth, nc=00000001, cnonce=\"0a4f113b\"", header);
        Assert.Contains("opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"", header);
        Assert.Contains("nc=00000002", authenticator.Authorize("GET", "/dir/index.html"));
    }

    [Fact]
    public void Digest_without_qop_uses_the_rfc_2069_response()
    {
        // response = MD5(HA1:nonce:HA2) with HA1 = MD5("Mufasa:testrealm@host.com:Circle Of Life"),
        // HA2 = MD5("GET:/dir/index.html"); value computed with Python's hashlib.
        Assert.True(RtspAuthChallenge.TryParse("Digest realm=\"testrealm@host.com\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\"", out var challenge, out _));
        var header = new RtspAuthenticator(new RtspCredentials("Mufasa", "Circle Of Life"), challenge!).Authorize("GET", "/dir/index.html");
        Assert.Contains("response=\"670fd8c2df070c60b045671b8b24ff02\"", header);
        Assert.DoesNotContain("qop", header);
        Assert.DoesNotContain("cnonce", header);
    }

    [Fact]
    public void Basic_is_base64_of_user_and_password()
    {
        Assert.True(RtspAuthChallenge.TryParse("Basic realm=\"cam\"", out var challenge, out _));
        var header = new RtspAuthenticator(new RtspCredentials("Aladdin", "open sesame"), challenge!).Authorize("DESCRIBE", "rtsp://cam/");
        Assert.Equal("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", header); // RFC 7617 section 2
    }

    [Fact]
    public void Digest_is_chosen_over_basic_and_unknown_algorithms_are_skipped()
    {
        RtspAuthChallenge.TryParse("Basic realm=\"cam\"", out var basic, out _);
        RtspAuthChallenge.TryParse("Digest realm=\"cam\", nonce=\"n\", algorithm=SHA-256", out var sha, out _);
        RtspAuthChallenge.TryParse("Digest realm=\"cam\", nonce=\"n\"", out var md5, out _);
        Assert.Same(md5, RtspAuthenticator.Choose([basic!, sha!, md5!]));
        Assert.Same(basic, RtspAuthenticator.Choose([sha!, basic!]));
        Assert.Null(RtspAuthenticator.Choose([sha!]));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Digest realm=\"unterminated")]
    [InlineData("Dig=est realm=x")]
    public void Bad_challenge_is_rejected(string value) =>
        Assert.False(RtspAuthChallenge.TryParse(value, out _, out _));

    [Fact]
    public void Random_challenges_never_throw()
    {
        var random = new Random(7616);
        const string alphabet = "Digest Basic realm=\"nonce,qop= \\\"auth";
        for (var i = 0; i < 3000; i++)
        {
            var chars = new char[random.Next(60)];
            for (var j = 0; j < chars.Length; j++)
            {
                chars[j] = alphabet[random.Next(alphabet.Length)];
            }
            if (RtspAuthChallenge.TryParse(new string(chars), out var challenge, out _) && RtspAuthenticator.CanAnswer(challenge!))
            {
                new RtspAuthenticator(new RtspCredentials("u", "p"), challenge!).Authorize("OPTIONS", "rtsp://cam/");
            }
        }
    }
}
