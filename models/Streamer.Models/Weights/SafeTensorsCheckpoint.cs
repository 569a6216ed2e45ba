using System.Text.Json;
using static TorchSharp.torch;

namespace Streamer.Models.Weights;

/// <summary>
/// A Hugging Face checkpoint folder: either one <c>model.safetensors</c> or shards listed by
/// <c>model.safetensors.index.json</c> (<c>{"weight_map": {"key": "model-00001-of-00002.safetensors"}}</c>).
/// Every key is resolved to its file once on open; the index and the shards must agree.
/// </summary>
public sealed class SafeTensorsCheckpoint : IDisposable
{
    public const string SingleFileName = "model.safetensors";
    public const string IndexFileName = "model.safetensors.index.json";

    private readonly List<SafeTensorsFile> _files;
    private readonly Dictionary<string, SafeTensorsFile> _byKey;

    private SafeTensorsCheckpoint(string folder, List<SafeTensorsFile> files, Dictionary<string, SafeTensorsFile> byKey)
    {
        Folder = folder;
        _files = files;
        _byKey = byKey;
    }

    public string Folder { get; }

    public IReadOnlyList<SafeTensorsFile> Files => _files;

    public IEnumerable<string> Keys => _byKey.Keys;

    /// <summary>Every tensor with its shape, dtype and file.</summary>
    public IEnumerable<SafeTensorInfo> Tensors => _byKey.Select(kv => kv.Value.GetInfo(kv.Key));

    public bool Contains(string key) => _byKey.ContainsKey(key);

    public SafeTensorInfo GetInfo(string key) =>
        _byKey.TryGetValue(key, out var file)
            ? file.GetInfo(key)
            : throw new CheckpointException($"tensor '{key}' is not in checkpoint {Folder}");

    public Tensor Load(string key, ScalarType? dtype = null, Device? device = null) =>
        _byKey.TryGetValue(key, out var file)
            ? file.Load(key, dtype, device)
            : throw new CheckpointException($"tensor '{key}' is not in checkpoint {Folder}");

    public static SafeTensorsCheckpoint Open(string folder)
    {
        var index = System.IO.Path.Combine(folder, IndexFileName);
        if (File.Exists(index))
        {
            return OpenSharded(folder, index);
        }
        var single = System.IO.Path.Combine(folder, SingleFileName);
        if (!File.Exists(single))
        {
            throw new CheckpointException($"{folder} holds neither {SingleFileName} nor {IndexFileName}");
        }
        var file = SafeTensorsFile.Open(single);
        return new SafeTensorsCheckpoint(folder, [file], file.Keys.ToDictionary(k => k, _ => file, StringComparer.Ordinal));
    }

    private static SafeTensorsCheckpoint OpenSharded(string folder, string indexPath)
    {
        Dictionary<string, string> weightMap;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(indexPath));
            if (!doc.RootElement.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
            {
                throw new CheckpointException($"{indexPath}: no weight_map object");
            }
            weightMap = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in map.EnumerateObject())
            {
                if (p.Value.ValueKind != JsonValueKind.String)
                {
                    throw new CheckpointException($"tensor '{p.Name}' in {indexPath}: shard name is not a string");
                }
                weightMap[p.Name] = p.Value.GetString()!;
            }
        }
        catch (JsonException e)
        {
            throw new CheckpointException($"{indexPath}: not valid JSON ({e.Message})", e);
        }

        var files = new List<SafeTensorsFile>();
        try
        {
            var byName = new Dictionary<string, SafeTensorsFile>(StringComparer.Ordinal);
            foreach (var shard in weightMap.Values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                if (shard.Contains('/', StringComparison.Ordinal) || shard.Contains('\\', StringComparison.Ordinal) || shard.StartsWith('.'))
                {
                    throw new CheckpointException($"{indexPath}: shard name '{shard}' is not a plain file name");
                }
                var shardPath = System.IO.Path.Combine(folder, shard);
                if (!File.Exists(shardPath))
                {
                    var key = weightMap.First(kv => kv.Value == shard).Key;
                    throw new CheckpointException($"tensor '{key}': shard {shardPath} named by {indexPath} does not exist");
                }
                var file = SafeTensorsFile.Open(shardPath);
                files.Add(file);
                byName[shard] = file;
            }

            var byKey = new Dictionary<string, SafeTensorsFile>(StringComparer.Ordinal);
            foreach (var (key, shard) in weightMap)
            {
                var file = byName[shard];
                if (!file.Contains(key))
                {
                    throw new CheckpointException($"tensor '{key}' is listed in {indexPath} but missing from {file.Path}");
                }
                byKey[key] = file;
            }
            return new SafeTensorsCheckpoint(folder, files, byKey);
        }
        catch
        {
            foreach (var f in files)
            {
                f.Dispose();
            }
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var f in _files)
        {
            f.Dispose();
        }
    }
}
