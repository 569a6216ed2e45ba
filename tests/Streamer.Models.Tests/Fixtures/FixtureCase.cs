using System.Text.Json;
using Streamer.Models.Qwen25Omni;
using Streamer.Models.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Models.Tests.Fixtures;

/// <summary>One tensor a case names: its key in cases.safetensors, shape and dtype.</summary>
public sealed record FixtureTensorRef(string Key, long[] Shape, string DType);

/// <summary>
/// One case of a fixture folder: the inputs/outputs listed in cases.json, loaded from
/// cases.safetensors with <see cref="SafeTensorsFile"/>, plus the folder's model config.
/// </summary>
public sealed class FixtureCase : IDisposable
{
    public const string CasesJson = "cases.json";
    public const string CasesTensors = "cases.safetensors";
    public const string MissingFolderMarker = "<no fixture folder>";

    private readonly SafeTensorsFile _tensors;

    private FixtureCase(string folder, string name, JsonElement caseJson, SafeTensorsFile tensors)
    {
        Folder = folder;
        Name = name;
        _tensors = tensors;
        Inputs = ReadRefs(caseJson, "inputs");
        Outputs = ReadRefs(caseJson, "outputs");
        Notes = caseJson.TryGetProperty("notes", out var n) ? n.GetString() ?? "" : "";
        Call = caseJson.TryGetProperty("call", out var call) ? call.GetString() ?? "" : "";
        if (caseJson.TryGetProperty("fp32_vs_fp64_max_abs_diff", out var dev) && dev.ValueKind == JsonValueKind.Object)
        {
            Fp32VsFp64 = dev.EnumerateObject()
                .Where(p => p.Value.ValueKind == JsonValueKind.Number)
                .ToDictionary(p => p.Name, p => p.Value.GetDouble());
        }
        else
        {
            Fp32VsFp64 = new Dictionary<string, double>();
        }
    }

    public string Folder { get; }

    public string Name { get; }

    public string Notes { get; }

    /// <summary>The reference call that produced the outputs (e.g. carries use_audio_in_video=True).</summary>
    public string Call { get; }

    public IReadOnlyDictionary<string, FixtureTensorRef> Inputs { get; }

    public IReadOnlyDictionary<string, FixtureTensorRef> Outputs { get; }

    public IReadOnlyDictionary<string, double> Fp32VsFp64 { get; }

    public Qwen25OmniConfig Config => Qwen25OmniConfig.Load(Folder);

    public static FixtureCase Open(string folder, string caseName)
    {
        if (folder.StartsWith(MissingFolderMarker, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(FixtureCatalog.DescribeSearch());
        }
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, CasesJson)));
        var found = doc.RootElement.GetProperty("cases").EnumerateArray()
            .FirstOrDefault(c => c.GetProperty("name").GetString() == caseName);
        if (found.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidOperationException($"{folder}/{CasesJson} has no case '{caseName}'");
        }
        return new FixtureCase(folder, caseName, found.Clone(), SafeTensorsFile.Open(Path.Combine(folder, CasesTensors)));
    }

    public static IReadOnlyList<string> CaseNames(string folder)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, CasesJson)));
        return doc.RootElement.GetProperty("cases").EnumerateArray()
            .Select(c => c.GetProperty("name").GetString()!)
            .ToList();
    }

    public bool HasInput(string name) => Inputs.ContainsKey(name);

    public bool HasOutput(string name) => Outputs.ContainsKey(name);

    public Tensor Input(string name) => Load(Inputs, name, "input");

    public Tensor Output(string name) => Load(Outputs, name, "output");

    private Tensor Load(IReadOnlyDictionary<string, FixtureTensorRef> refs, string name, string kind)
    {
        if (!refs.TryGetValue(name, out var r))
        {
            throw new KeyNotFoundException($"case '{Name}' in {Folder} has no {kind} '{name}'");
        }
        var t = _tensors.Load(r.Key);
        if (!t.shape.SequenceEqual(r.Shape))
        {
            t.Dispose();
            throw new InvalidDataException($"{r.Key}: cases.json says [{string.Join(", ", r.Shape)}], file holds [{string.Join(", ", t.shape)}]");
        }
        return t;
    }

    private static Dictionary<string, FixtureTensorRef> ReadRefs(JsonElement c, string property)
    {
        var result = new Dictionary<string, FixtureTensorRef>(StringComparer.Ordinal);
        if (!c.TryGetProperty(property, out var refs))
        {
            return result;
        }
        foreach (var p in refs.EnumerateObject())
        {
            result[p.Name] = new FixtureTensorRef(
                p.Value.GetProperty("key").GetString()!,
                p.Value.GetProperty("shape").EnumerateArray().Select(x => x.GetInt64()).ToArray(),
                p.Value.GetProperty("dtype").GetString()!);
        }
        return result;
    }

    public void Dispose() => _tensors.Dispose();
}
