namespace Streamer.Server.Tests.Infrastructure;

/// <summary>Browser tests run one at a time: each drives a real Chromium encoding video on a small machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserCollection
{
    public const string Name = "Browser";
}
