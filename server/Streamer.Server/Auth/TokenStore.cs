using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Streamer.Server.Auth;

/// <summary>
/// The set of accepted bearer tokens. Tokens are kept only as SHA-256 digests; a session
/// records the owner id (a digest prefix), so no token ever appears in a session, a log or
/// an API response.
/// </summary>
public sealed class TokenStore
{
    private readonly Dictionary<string, string> _ownerByDigest = new(StringComparer.Ordinal);

    public TokenStore(IOptions<AuthOptions> options, IConfiguration configuration, ILogger<TokenStore> logger)
    {
        var tokens = Collect(options.Value, configuration);
        if (tokens.Count == 0)
        {
            var generated = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24))
                .Replace('+', '-').Replace('/', '_').TrimEnd('=');
            tokens.Add(generated);
            GeneratedToken = generated;
            logger.LogWarning("No API tokens configured (Auth:Tokens or STREAMER_TOKENS); generated one for this run: {Token}", generated);
        }
        foreach (var token in tokens)
        {
            if (token.Length < options.Value.MinTokenLength)
                throw new InvalidOperationException($"An API token is shorter than Auth:MinTokenLength ({options.Value.MinTokenLength}).");
            var digest = Digest(token);
            _ownerByDigest[digest] = digest[..16];
        }
    }

    /// <summary>The token generated at start when none was configured, else null.</summary>
    public string? GeneratedToken { get; }

    public int Count => _ownerByDigest.Count;

    /// <summary>Returns the owner id of a valid token.</summary>
    public bool TryGetOwner(string token, out string owner)
    {
        // Comparing digests keeps the lookup independent of how much of a guess is right.
        return _ownerByDigest.TryGetValue(Digest(token), out owner!);
    }

    public static string OwnerOf(string token) => Digest(token)[..16];

    private static string Digest(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static List<string> Collect(AuthOptions options, IConfiguration configuration)
    {
        var result = new List<string>();
        foreach (var entry in options.Tokens) result.AddRange(Split(entry));
        // "Auth:Tokens" given as one string (Auth__Tokens=a,b) does not bind to a list.
        var single = configuration[$"{AuthOptions.Section}:Tokens"];
        if (single is not null) result.AddRange(Split(single));
        result.AddRange(Split(configuration["STREAMER_TOKENS"] ?? Environment.GetEnvironmentVariable("STREAMER_TOKENS")));
        return result.Distinct(StringComparer.Ordinal).ToList();
    }

    private static IEnumerable<string> Split(string? value) =>
        (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
