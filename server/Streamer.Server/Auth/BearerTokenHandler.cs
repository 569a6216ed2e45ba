using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Streamer.Server.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer</c> against the <see cref="TokenStore"/>. WebSocket
/// clients (SignalR) cannot set headers, so an <c>access_token</c> query value is accepted on
/// hub paths only.
/// </summary>
public sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    TokenStore tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";
    public const string OwnerClaim = "streamer:owner";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = ReadToken();
        if (token is null) return Task.FromResult(AuthenticateResult.NoResult());
        if (!tokens.TryGetOwner(token, out var owner))
            return Task.FromResult(AuthenticateResult.Fail("The bearer token is not valid."));

        var identity = new ClaimsIdentity([new Claim(OwnerClaim, owner)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(
            new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        var failure = (await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false)).Failure;
        await Results.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Unauthorized",
            detail: failure?.Message ?? "A bearer token is required (Authorization: Bearer <token>).")
            .ExecuteAsync(Context).ConfigureAwait(false);
    }

    private string? ReadToken()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return header["Bearer ".Length..].Trim();
        if (Request.Path.StartsWithSegments("/hubs") && Request.Query.TryGetValue("access_token", out var query))
            return query.ToString();
        return null;
    }
}
