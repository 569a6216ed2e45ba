namespace Streamer.Models.Tests.Memory;

/// <summary>
/// Tests that time the model run alone: other test classes would otherwise share the two
/// cores with them and turn a latency comparison into a measure of the neighbours' load.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialMemoryCollection
{
    public const string Name = "Memory timings";
}
