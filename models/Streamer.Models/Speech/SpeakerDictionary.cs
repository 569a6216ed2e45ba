using Streamer.Models.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Models.Speech;

/// <summary>
/// The checkpoint's voices. The released <c>spk_dict.pt</c> is a torch pickle
/// ({name: {bos_token, cond, ref_mel}}) that TorchSharp cannot read, so it is converted once with
/// <c>scripts/convert_spk_dict.py</c> into <c>spk_dict.safetensors</c> holding
/// <c>&lt;name&gt;/cond</c>, <c>&lt;name&gt;/ref_mel</c> and <c>&lt;name&gt;/bos_token</c> per voice.
/// Tensors are float32 (int64 for the token) on the CPU; a missing axis of size 1 is added back.
/// </summary>
public sealed class SpeakerDictionary : IDisposable
{
    public const string FileName = "spk_dict.safetensors";
    public const string PickleFileName = "spk_dict.pt";

    private readonly Dictionary<string, Speaker> _speakers;

    private SpeakerDictionary(Dictionary<string, Speaker> speakers) => _speakers = speakers;

    /// <summary>Voice names in ordinal order.</summary>
    public IReadOnlyList<string> Names => _speakers.Keys.Order(StringComparer.Ordinal).ToArray();

    public int Count => _speakers.Count;

    /// <summary>Reads a converted dictionary from a file, or from <see cref="FileName"/> in a checkpoint folder.</summary>
    /// <exception cref="FileNotFoundException">no converted file (the message says how to make one from spk_dict.pt).</exception>
    /// <exception cref="CheckpointException">a voice lacks one of its three tensors or has a misshapen one.</exception>
    public static SpeakerDictionary Load(string path)
    {
        var file = Directory.Exists(path) ? Path.Combine(path, FileName) : path;
        if (!File.Exists(file))
        {
            var pickle = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".", PickleFileName);
            var hint = File.Exists(pickle)
                ? $"; {pickle} exists: convert it with scripts/convert_spk_dict.py {pickle} {file}"
                : "";
            throw new FileNotFoundException($"no speaker dictionary at {file}{hint}", file);
        }
        using var st = SafeTensorsFile.Open(file);
        var names = st.Keys.Select(k => k.Split('/')[0]).Distinct(StringComparer.Ordinal).ToArray();
        var speakers = new Dictionary<string, Speaker>(StringComparer.Ordinal);
        try
        {
            foreach (var name in names)
            {
                speakers.Add(name, ReadSpeaker(st, name, file));
            }
            return new SpeakerDictionary(speakers);
        }
        catch
        {
            foreach (var s in speakers.Values)
            {
                s.Dispose();
            }
            throw;
        }
    }

    /// <summary>A dictionary of voices made in code (a random model's); it takes ownership of them.</summary>
    public static SpeakerDictionary From(IEnumerable<Speaker> voices)
    {
        var speakers = new Dictionary<string, Speaker>(StringComparer.Ordinal);
        foreach (var voice in voices)
        {
            if (!speakers.TryAdd(voice.Name, voice)) throw new ArgumentException($"speaker '{voice.Name}' appears twice", nameof(voices));
        }
        return new SpeakerDictionary(speakers);
    }

    public bool TryGet(string name, out Speaker speaker) => _speakers.TryGetValue(name, out speaker!);

    /// <exception cref="SpeakerNotFoundException">the name is unknown; the message lists the voices.</exception>
    public Speaker Get(string name) =>
        _speakers.TryGetValue(name, out var speaker) ? speaker : throw new SpeakerNotFoundException(name, Names);

    public void Dispose()
    {
        foreach (var s in _speakers.Values)
        {
            s.Dispose();
        }
        _speakers.Clear();
    }

    private static Speaker ReadSpeaker(SafeTensorsFile st, string name, string file)
    {
        foreach (var part in new[] { "cond", "ref_mel", "bos_token" })
        {
            if (!st.Contains($"{name}/{part}"))
            {
                throw new CheckpointException($"{file}: speaker '{name}' has no '{name}/{part}' tensor");
            }
        }
        using var scope = NewDisposeScope();
        var cond = st.Load($"{name}/cond", ScalarType.Float32);
        var refMel = st.Load($"{name}/ref_mel", ScalarType.Float32);
        var bos = st.Load($"{name}/bos_token", ScalarType.Int64);
        if (cond.dim() == 1)
        {
            cond = cond.unsqueeze(0);
        }
        if (refMel.dim() == 2)
        {
            refMel = refMel.unsqueeze(0);
        }
        if (cond.dim() != 2 || cond.shape[0] != 1 || refMel.dim() != 3 || refMel.shape[0] != 1 || bos.numel() != 1)
        {
            throw new CheckpointException($"{file}: speaker '{name}' needs cond [1, D], ref_mel [1, T, mel] and one bos_token, got cond [{string.Join(", ", cond.shape)}], ref_mel [{string.Join(", ", refMel.shape)}], {bos.numel()} bos ids");
        }
        var speaker = new Speaker(name, bos.reshape(-1)[0].item<long>(), cond.contiguous().MoveToOuterDisposeScope(), refMel.contiguous().MoveToOuterDisposeScope());
        return speaker;
    }
}
