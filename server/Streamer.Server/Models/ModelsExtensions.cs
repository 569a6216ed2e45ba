using Microsoft.Extensions.Options;
using Streamer.Server.Health;

namespace Streamer.Server.Models;

public static class ModelsExtensions
{
    /// <summary>The thinker, loaded once in the background; readiness waits for it.</summary>
    public static IHostApplicationBuilder AddStreamerModels(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ThinkerOptions>().BindConfiguration(ThinkerOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ThinkerOptions>>(_ => new ThinkerOptionsValidator());
        builder.Services.AddSingleton(sp =>
        {
            var host = new ThinkerHost(sp.GetRequiredService<IOptions<ThinkerOptions>>(), sp.GetRequiredService<ILogger<ThinkerHost>>());
            sp.GetRequiredService<Readiness>().Require(host.Loaded);
            return host;
        });
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ThinkerHost>());
        return builder;
    }
}
