using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Streamer.Media.Rtsp;

/// <summary>
/// Builds Authorization headers for a challenge: Basic (RFC 7617) or Digest with MD5 or
/// MD5-sess, with qop=auth or without it (RFC 2617, RFC 7616). Each Digest header counts
/// its nonce use (nc) so the server can tell a replay from a new request.
/// </summary>
public sealed class RtspAuthenticator
{
    private readonly RtspCredentials _credentials;
    private readonly RtspAuthChallenge _challenge;
    private readonly Func<string> _newClientNonce;
    private int _nonceCount;

    public RtspAuthenticator(RtspCredentials credentials, RtspAuthChallenge challenge, Func<string>? clientNonce = null)
    {
        _credentials = credentials;
        _challenge = challenge;
        _newClientNonce = clientNonce ?? (() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
    }

    /// <summary>True when the challenge is one this client can answer.</summary>
    public static bool CanAnswer(RtspAuthChallenge challenge) =>
        challenge.IsBasic
        || (challenge.IsDigest && challenge.Nonce is not null
            && (challenge.Algorithm is null
                || challenge.Algorithm.Equals("MD5", StringComparison.OrdinalIgnoreCase)
                || challenge.Algorithm.Equals("MD5-sess", StringComparison.OrdinalIgnoreCase)));

    /// <summary>Picks the strongest challenge this client can answer: Digest over Basic.</summary>
    public static RtspAuthChallenge? Choose(IEnumerable<RtspAuthChallenge> challenges)
    {
        RtspAuthChallenge? basic = null;
        foreach (var challenge in challenges)
        {
            if (!CanAnswer(challenge))
            {
                continue;
            }
            if (challenge.IsDigest)
            {
                return challenge;
            }
            basic ??= challenge;
        }
        return basic;
    }

    /// <summary>The Authorization header value for one request.</summary>
    public string Authorize(string method, string uri)
    {
        if (_challenge.IsBasic)
        {
            return "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(_credentials.UserName + ":" + _credentials.Password));
        }

        var realm = _challenge.Realm ?? "";
        var nonce = _challenge.Nonce ?? "";
        var ha1 = Md5Hex($"{_credentials.UserName}:{realm}:{_credentials.Password}");
        var qopAuth = _challenge.OffersQopAuth;
        var sessionAlgorithm = _challenge.Algorithm?.Equals("MD5-sess", StringComparison.OrdinalIgnoreCase) == true;
        string? clientNonce = qopAuth || sessionAlgorithm ? _newClientNonce() : null;
        if (sessionAlgorithm)
        {
            ha1 = Md5Hex($"{ha1}:{nonce}:{clientNonce}");
        }
        var ha2 = Md5Hex($"{method}:{uri}");

        var header = new StringBuilder("Digest ");
        header.Append("username=\"").Append(Quote(_credentials.UserName)).Append("\", ");
        header.Append("realm=\"").Append(Quote(realm)).Append("\", ");
        header.Append("nonce=\"").Append(Quote(nonce)).Append("\", ");
        header.Append("uri=\"").Append(Quote(uri)).Append("\", ");
        if (qopAuth)
        {
            var nc = (++_nonceCount).ToString("x8", CultureInfo.InvariantCulture);
            var response = Md5Hex($"{ha1}:{nonce}:{nc}:{clientNonce}:auth:{ha2}");
            header.Append("response=\"").Append(response).Append("\", ");
            header.Append("qop=auth, nc=").Append(nc).Append(", cnonce=\"").Append(clientNonce).Append('"');
        }
        else
        {
            header.Append("response=\"").Append(Md5Hex($"{ha1}:{nonce}:{ha2}")).Append('"');
            if (sessionAlgorithm)
            {
                header.Append(", cnonce=\"").Append(clientNonce).Append('"');
            }
        }
        if (_challenge.Algorithm is { } algorithm)
        {
            header.Append(", algorithm=").Append(algorithm);
        }
        if (_challenge.Opaque is { } opaque)
        {
            header.Append(", opaque=\"").Append(Quote(opaque)).Append('"');
        }
        return header.ToString();
    }

    // RTSP Digest is specified over MD5; cameras accept nothing else, so the weak hash is the protocol's.
#pragma warning disable CA5351
    private static string Md5Hex(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
#pragma warning restore CA5351

    private static string Quote(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
