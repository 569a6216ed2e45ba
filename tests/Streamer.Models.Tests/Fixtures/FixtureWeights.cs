using Streamer.Models.Weights;
using TorchSharp;

namespace Streamer.Models.Tests.Fixtures;

/// <summary>One model part of a fixture folder: its checkpoint keys under a prefix, loaded in eval mode.</summary>
internal static class FixtureWeights
{
    public static T LoadPart<T>(string folder, T module, string prefix)
        where T : torch.nn.Module
    {
        using var ckpt = SafeTensorsCheckpoint.Open(FixtureData.RequireFolder(folder));
        module.eval();
        CheckpointLoader.Load(module, ckpt, prefix);
        return module;
    }
}
