using Microsoft.AspNetCore.Authentication;

namespace Streamer.Server.Auth;

public static class AuthExtensions
{
    public static IHostApplicationBuilder AddStreamerAuth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section)
            .Validate(o => o.MinTokenLength >= 8, "Auth:MinTokenLength must be at least 8.")
            .ValidateOnStart();
        builder.Services.AddSingleton<TokenStore>();
        builder.Services.AddAuthentication(BearerTokenHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(null)
            .SetDefaultPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder(BearerTokenHandler.SchemeName)
                .RequireAuthenticatedUser().Build());
        return builder;
    }
}
