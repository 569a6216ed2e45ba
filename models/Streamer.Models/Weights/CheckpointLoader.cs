using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Models.Weights;

/// <summary>
/// Copies checkpoint tensors into a module whose parameter and buffer names are exactly the
/// checkpoint keys below <c>prefix</c> (<c>thinker.model.layers.0.self_attn.q_proj.weight</c>
/// lands on <c>model.layers.0.self_attn.q_proj.weight</c> when the prefix is <c>thinker.</c>).
/// Strict: a parameter with no tensor, a tensor under the prefix with no parameter (unless it
/// sits under one of <c>ignoredSubPrefixes</c>, which other modules own) or a shape mismatch
/// fails with a <see cref="CheckpointException"/>. Values are converted to each parameter's own
/// dtype and device, so a module created as bfloat16 on CUDA loads from float32 files and back.
/// </summary>
public static class CheckpointLoader
{
    public static void Load(nn.Module module, SafeTensorsCheckpoint checkpoint, string prefix,
        IEnumerable<string>? ignoredSubPrefixes = null)
    {
        var ignored = ignoredSubPrefixes?.ToArray() ?? [];
        var targets = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, p) in module.named_parameters())
        {
            targets[name] = p;
        }
        foreach (var (name, b) in module.named_buffers(include_nonpersistent: false))
        {
            targets[name] = b;
        }

        var missing = targets.Keys.Where(n => !checkpoint.Contains(prefix + n)).ToList();
        if (missing.Count > 0)
        {
            var first = prefix + missing[0];
            throw new CheckpointException(
                $"tensor '{first}' is missing from checkpoint {checkpoint.Folder}" +
                (missing.Count > 1 ? $" ({missing.Count} missing in all: {string.Join(", ", missing.Take(5).Select(m => prefix + m))})" : ""));
        }

        foreach (var key in checkpoint.Keys)
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }
            var local = key[prefix.Length..];
            if (targets.ContainsKey(local) || ignored.Any(i => local.StartsWith(i, StringComparison.Ordinal)))
            {
                continue;
            }
            throw new CheckpointException(
                $"tensor '{key}' in {checkpoint.GetInfo(key).File} is unexpected: the module has no '{local}'");
        }

        using var _ = no_grad();
        foreach (var (name, target) in targets)
        {
            var key = prefix + name;
            var info = checkpoint.GetInfo(key);
            if (!info.Shape.SequenceEqual(target.shape))
            {
                throw new CheckpointException(
                    $"tensor '{key}' in {info.File} has shape {info.ShapeText} but the module expects [{string.Join(", ", target.shape)}]");
            }
            using var value = checkpoint.Load(key, target.dtype, target.device);
            target.copy_(value);
        }
    }
}
