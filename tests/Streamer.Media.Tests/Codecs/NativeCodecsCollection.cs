namespace Streamer.Media.Tests.Codecs;

/// <summary>
/// Tests that create native codec objects run one at a time, so the process-wide count of
/// live native handles is meaningful to the leak test.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NativeCodecsCollection : ICollectionFixture<TestClips>
{
    public const string Name = "Native codecs";
}
