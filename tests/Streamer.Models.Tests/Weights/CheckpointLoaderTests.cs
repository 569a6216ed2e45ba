using Streamer.Models.Weights;
using TorchSharp;
using TorchSharp.Modules;
using static Streamer.Models.Tests.Weights.SafeTensorsWriter;
using static TorchSharp.torch;

namespace Streamer.Models.Tests.Weights;

public sealed class CheckpointLoaderTests : IDisposable
{
    private readonly string _dir = TempFolder();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A two-level module: proj (2->3 with bias) and layers.0.norm.weight [3].</summary>
    private sealed class Probe : nn.Module
    {
        public readonly Linear proj;
        public readonly ModuleList<Inner> layers;

        public Probe() : base(nameof(Probe))
        {
            proj = nn.Linear(2, 3);
            layers = nn.ModuleList(new Inner());
            RegisterComponents();
        }
    }

    private sealed class Inner : nn.Module
    {
        public readonly Parameter weight_holder;

        public Inner() : base(nameof(Inner))
        {
            weight_holder = nn.Parameter(zeros(3));
            register_parameter("norm_weight", weight_holder);
        }
    }

    private static SafeTensorsWriter.Entry[] ValidEntries(string prefix) =>
    [
        new(prefix + "proj.weight", "F32", [3, 2], Floats(1, 2, 3, 4, 5, 6)),
        new(prefix + "proj.bias", "F32", [3], Floats(7, 8, 9)),
        new(prefix + "layers.0.norm_weight", "F32", [3], Floats(-1, -2, -3)),
    ];

    private SafeTensorsCheckpoint Checkpoint(params SafeTensorsWriter.Entry[] entries)
    {
        Write(Path.Combine(_dir, SafeTensorsCheckpoint.SingleFileName), entries);
        return SafeTensorsCheckpoint.Open(_dir);
    }

    [Fact]
    public void Load_copies_tensors_below_the_prefix_and_ignores_other_prefixes()
    {
        using var ckpt = Checkpoint([.. ValidEntries("thinker."), new("talker.other", "F32", [1], Floats(0))]);
        using var m = new Probe();

        CheckpointLoader.Load(m, ckpt, "thinker.");

        Assert.Equal([1f, 2, 3, 4, 5, 6], m.proj.weight!.data<float>().ToArray());
        Assert.Equal([7f, 8, 9], m.proj.bias!.data<float>().ToArray());
        Assert.Equal([-1f, -2, -3], m.layers[0].weight_holder.data<float>().ToArray());
    }

    [Fact]
    public void Load_converts_bf16_to_the_parameter_dtype()
    {
        // bf16 1.0 = 0x3F80, 2.0 = 0x4000, 0.5 = 0x3F00
        byte[] ones = [0x80, 0x3F, 0x00, 0x40, 0x00, 0x3F, 0x80, 0x3F, 0x00, 0x40, 0x00, 0x3F];
        using var ckpt = Checkpoint(
            new("proj.weight", "BF16", [3, 2], ones),
            new("proj.bias", "BF16", [3], ones[..6]),
            new("layers.0.norm_weight", "F32", [3], Floats(0, 0, 0)));
        using var m = new Probe();

        CheckpointLoader.Load(m, ckpt, "");

        Assert.Equal(ScalarType.Float32, m.proj.weight!.dtype);
        Assert.Equal([1f, 2, 0.5f, 1, 2, 0.5f], m.proj.weight.data<float>().ToArray());
        Assert.Equal([1f, 2, 0.5f], m.proj.bias!.data<float>().ToArray());
    }

    [Fact]
    public void Load_rejects_missing_tensor_naming_it_and_the_checkpoint()
    {
        using var ckpt = Checkpoint(ValidEntries("thinker.")[..2]);
        using var m = new Probe();

        var e = Assert.Throws<CheckpointException>(() => CheckpointLoader.Load(m, ckpt, "thinker."));

        Assert.Contains("'thinker.layers.0.norm_weight'", e.Message, StringComparison.Ordinal);
        Assert.Contains("missing", e.Message, StringComparison.Ordinal);
        Assert.Contains(_dir, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_rejects_unexpected_tensor_under_the_prefix()
    {
        using var ckpt = Checkpoint([.. ValidEntries("thinker."), new("thinker.proj.extra", "F32", [1], Floats(0))]);
        using var m = new Probe();

        var e = Assert.Throws<CheckpointException>(() => CheckpointLoader.Load(m, ckpt, "thinker."));

        Assert.Contains("'thinker.proj.extra'", e.Message, StringComparison.Ordinal);
        Assert.Contains("unexpected", e.Message, StringComparison.Ordinal);
        Assert.Contains(SafeTensorsCheckpoint.SingleFileName, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_skips_tensors_under_ignored_sub_prefixes()
    {
        using var ckpt = Checkpoint([.. ValidEntries("thinker."), new("thinker.visual.blocks.0.w", "F32", [1], Floats(0))]);
        using var m = new Probe();

        CheckpointLoader.Load(m, ckpt, "thinker.", ["visual."]);

        Assert.Equal([7f, 8, 9], m.proj.bias!.data<float>().ToArray());
    }

    [Fact]
    public void Load_rejects_mis_shaped_tensor_naming_both_shapes()
    {
        var entries = ValidEntries("");
        entries[0] = new("proj.weight", "F32", [2, 3], Floats(1, 2, 3, 4, 5, 6));
        using var ckpt = Checkpoint(entries);
        using var m = new Probe();

        var e = Assert.Throws<CheckpointException>(() => CheckpointLoader.Load(m, ckpt, ""));

        Assert.Contains("'proj.weight'", e.Message, StringComparison.Ordinal);
        Assert.Contains("[2, 3]", e.Message, StringComparison.Ordinal);
        Assert.Contains("[3, 2]", e.Message, StringComparison.Ordinal);
    }
}
