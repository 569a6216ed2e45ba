using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streamer.Models.Qwen25Omni;

/// <summary>
/// Qwen2.5-Omni audio encoder (<c>thinker.audio_tower</c>), a Whisper encoder that works on
/// windows: each audio's mel frames are cut into chunks of n_window * 2, every chunk goes through
/// conv1 and conv2 (stride 2) with GELU, gets sinusoidal positions starting at 0 and attends only
/// to itself; the chunks of one audio are then joined, average-pooled by 2, normalised (ln_post)
/// and projected to the text width (proj).
/// </summary>
public sealed class Qwen25OmniAudioEncoder : nn.Module
{
    public readonly Conv1d conv1;
    public readonly Conv1d conv2;
    public readonly Embedding audio_bos_eos_token;
    public readonly ModuleList<Qwen25OmniAudioEncoderLayer> layers;
    public readonly LayerNorm ln_post;
    public readonly Linear proj;
    private readonly Qwen25OmniAudioConfig _config;

    public Qwen25OmniAudioEncoder(Qwen25OmniAudioConfig config) : base(nameof(Qwen25OmniAudioEncoder))
    {
        _config = config;
        conv1 = nn.Conv1d(config.NumMelBins, config.DModel, 3, padding: 1);
        conv2 = nn.Conv1d(config.DModel, config.DModel, 3, stride: 2, padding: 1);
        audio_bos_eos_token = nn.Embedding(2, config.OutputDim);
        layers = new ModuleList<Qwen25OmniAudioEncoderLayer>(Enumerable.Range(0, config.EncoderLayers).Select(_ => new Qwen25OmniAudioEncoderLayer(config)).ToArray());
        ln_post = nn.LayerNorm(config.DModel);
        proj = nn.Linear(config.DModel, config.OutputDim);
        RegisterComponents();
    }

    public Qwen25OmniAudioConfig Config => _config;

    /// <summary>
    /// _get_feat_extract_output_lengths: frames after the stride-2 conv, and audio tokens after
    /// the stride-2 pooling, for a number of mel frames.
    /// </summary>
    public static (long AfterCnn, long Output) FeatExtractOutputLengths(long melFrames)
    {
        var afterCnn = FloorDiv(melFrames - 1, 2) + 1;
        return (afterCnn, FloorDiv(afterCnn - 2, 2) + 1);
    }

    /// <summary>
    /// get_audio_features: <paramref name="inputFeatures"/> [B, mel, T] with a 0/1 mask [B, T];
    /// the valid frames of every row are encoded. Returns [sum of output lengths, output_dim].
    /// </summary>
    public Tensor EncodeBatch(Tensor inputFeatures, Tensor featureAttentionMask)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var mask = featureAttentionMask.to_type(ScalarType.Bool).to(inputFeatures.device);
        var lens = featureAttentionMask.to_type(ScalarType.Int64).sum(-1).cpu().data<long>().ToArray();
        // [B, mel, T] -> [B, T, mel] -> valid frames [sum T, mel] -> [mel, sum T]
        var valid = inputFeatures.permute(0, 2, 1).index(mask).permute(1, 0);
        return forward(valid, lens).MoveToOuterDisposeScope();
    }

    /// <param name="inputFeatures">[mel, sum of lengths]: the audios' frames one after another.</param>
    /// <param name="featureLens">mel frames of each audio.</param>
    /// <returns>[sum of output lengths, output_dim]</returns>
    public Tensor forward(Tensor inputFeatures, IReadOnlyList<long> featureLens)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var weight = conv1.weight!;
        var (device, dtype) = (weight.device, weight.dtype);
        var features = inputFeatures.to(dtype, device);
        if (features.shape[1] != featureLens.Sum())
        {
            throw new ArgumentException($"{features.shape[1]} mel frames but the lengths add up to {featureLens.Sum()}");
        }

        var window = 2L * _config.NWindow;
        var chunkLengths = new List<long>();
        foreach (var len in featureLens)
        {
            for (var start = 0L; start < len; start += window)
            {
                chunkLengths.Add(Math.Min(window, len - start));
            }
        }
        var maxLen = chunkLengths.Max();
        var chunks = new Tensor[chunkLengths.Count];
        var offset = 0L;
        for (var i = 0; i < chunks.Length; i++)
        {
            chunks[i] = nn.functional.pad(features.narrow(1, offset, chunkLengths[i]), [0, maxLen - chunkLengths[i]]);
            offset += chunkLengths[i];
        }
        var padded = stack(chunks);

        var lengths = tensor(chunkLengths.ToArray(), device: device);
        var frameMask = arange(maxLen, device: device).unsqueeze(0).lt(lengths.unsqueeze(1)).unsqueeze(1).to_type(dtype);
        var h = nn.functional.gelu(conv1.forward(padded)) * frameMask;
        h = nn.functional.gelu(conv2.forward(h)).transpose(1, 2);
        var afterLen = h.shape[1];
        h = h + SinusoidPositions(afterLen, _config.DModel, device).to_type(dtype).unsqueeze(0);

        var afterLengths = chunkLengths.Select(l => FeatExtractOutputLengths(l).AfterCnn).ToArray();
        var keyMask = arange(afterLen, device: device).unsqueeze(0)
            .lt(tensor(afterLengths, device: device).unsqueeze(1))
            .view(chunks.Length, 1, 1, afterLen);
        foreach (var layer in layers)
        {
            h = layer.forward(h, keyMask);
        }

        var rows = new List<long>();
        for (var c = 0; c < chunks.Length; c++)
        {
            for (var r = 0L; r < afterLengths[c]; r++)
            {
                rows.Add(c * afterLen + r);
            }
        }
        var flat = h.reshape(-1, _config.DModel).index_select(0, tensor(rows.ToArray(), device: device));

        var outputs = new List<Tensor>(featureLens.Count);
        offset = 0;
        foreach (var len in featureLens)
        {
            var n = FeatExtractOutputLengths(len).AfterCnn;
            var audio = flat.narrow(0, offset, n);
            offset += n;
            var pooled = nn.functional.avg_pool1d(audio.transpose(0, 1).unsqueeze(0), 2, 2).squeeze(0).transpose(0, 1);
            outputs.Add(proj.forward(ln_post.forward(pooled)));
        }
        return cat(outputs, 0).MoveToOuterDisposeScope();
    }

    /// <summary>SinusoidsPositionEmbedding rows 0..length-1: sin of all timescales, then cos.</summary>
    public static Tensor SinusoidPositions(long length, int channels, Device? device = null)
    {
        if (channels % 2 != 0)
        {
            throw new ArgumentException("sinusoidal positions need an even number of channels");
        }
        using var scope = NewDisposeScope();
        var increment = Math.Log(10000.0) / (channels / 2 - 1);
        var invTimescales = (arange(channels / 2, ScalarType.Float32, device) * -increment).exp();
        var scaled = arange(length, ScalarType.Int64, device).unsqueeze(1) * invTimescales.unsqueeze(0);
        return cat([scaled.sin(), scaled.cos()], 1).MoveToOuterDisposeScope();
    }

    private static long FloorDiv(long a, long b) => (long)Math.Floor((double)a / b);
}
