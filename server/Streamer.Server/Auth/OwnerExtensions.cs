using System.Security.Claims;

namespace Streamer.Server.Auth;

public static class OwnerExtensions
{
    /// <summary>The owner id of an authenticated caller; sessions belong to it.</summary>
    public static string GetOwner(this ClaimsPrincipal user) =>
        user.FindFirstValue(BearerTokenHandler.OwnerClaim)
        ?? throw new InvalidOperationException("The request is not authenticated.");
}
