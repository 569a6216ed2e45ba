using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Models.Qwen25Omni;

/// <summary>
/// Token2Wav for codes that arrive one at a time, cut the way the reference streaming path
/// (Qwen2Code2wav <c>process_chunk</c> / <c>fast_block_sample</c>) cuts it. Chunk k owns mel
/// frames [k·C, (k+1)·C); it is sampled over the window [k·C - P, (k+1)·C + F) from the same
/// slice of one noise tensor drawn for the whole utterance, so a frame starts its ODE from the
/// state the offline <see cref="Qwen25OmniToken2Wav.forward"/> would give it. The vocoder runs
/// on the chunk's frames plus 2·V frames kept from the previous chunk and emits audio for
/// frames [k·C - V, (k+1)·C - V): V frames at every seam are vocoded twice and the copy nearer
/// the zero-padded edge is dropped. The first chunk leaves once (C + F) / repeats codes exist.
/// </summary>
/// <remarks>
/// Where the streamed waveform can differ from the offline one: (1) a frame within the DiT's
/// dependency cone of a window edge sees truncated context, because the ODE chains
/// (steps - 1)·4 block-masked evaluations and each widens the cone by the look-back/look-ahead
/// blocks; <see cref="StreamingToken2WavOptions.ExactContext"/> sizes P and F to cover the cone.
/// (2) the samples of the V frames either side of a seam come from the vocoder with the
/// neighbouring chunk's mel as context, exact as long as BigVGAN's receptive field is under V
/// frames. An utterance that ends before its first chunk is ready is sampled and vocoded in one
/// window and equals the offline waveform.
/// </remarks>
public sealed class StreamingToken2Wav : IDisposable
{
    private readonly Qwen25OmniToken2Wav _model;
    private readonly StreamingToken2WavOptions _options;
    private readonly Tensor _conditioning;
    private readonly Tensor _referenceMel;
    private readonly Tensor _noise;
    private readonly List<long> _codes = [];
    private readonly int _hop;
    private readonly long _codecTable;
    private Tensor? _previousMel;
    private long _emittedSamples;
    private bool _finished;
    private bool _disposed;

    /// <param name="model">token2wav; it is shared, not owned.</param>
    /// <param name="conditioning">the speaker's <c>cond</c> [1, enc_emb_dim]</param>
    /// <param name="referenceMel">the speaker's reference mel [1, T_ref, mel_dim]</param>
    /// <param name="noise">the ODE start for the whole utterance [1, frames, mel_dim]; its frame count caps the utterance length</param>
    public StreamingToken2Wav(Qwen25OmniToken2Wav model, Tensor conditioning, Tensor referenceMel, Tensor noise, StreamingToken2WavOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        _options = options ?? StreamingToken2WavOptions.Reference(model.Config.DitConfig);
        _options.Validate(model.Config.DitConfig);
        if (noise.dim() != 3 || noise.shape[0] != 1 || noise.shape[2] != model.Config.DitConfig.MelDim)
        {
            throw new ArgumentException($"noise must be [1, frames, {model.Config.DitConfig.MelDim}], got [{string.Join(", ", noise.shape)}]");
        }
        _hop = model.Config.BigVGANConfig.HopLength;
        _codecTable = model.code2wav_dit_model.text_embed.codec_embed.weight!.shape[0];
        _conditioning = conditioning.detach().clone();
        _referenceMel = referenceMel.detach().clone();
        _noise = noise.detach().clone();
    }

    public StreamingToken2WavOptions Options => _options;

    public int CodeCount => _codes.Count;

    public int ChunksEmitted { get; private set; }

    /// <summary>Codes needed before the first chunk can leave.</summary>
    public int CodesForFirstChunk => (_options.ChunkFrames + _options.FutureFrames) / _model.Repeats;

    /// <summary>The largest utterance the noise covers, in codes.</summary>
    public long MaxCodes => _noise.shape[1] / _model.Repeats;

    /// <summary>
    /// The reference draws randn([1, 30000, mel_dim]) once per utterance; this draws the same shape
    /// from a seeded generator so a streamed answer and its offline twin start from one state.
    /// </summary>
    public static Tensor DrawNoise(Qwen25OmniToken2Wav model, long seed, int frames = 30000)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var generator = new Generator((ulong)seed);
        return randn([1, frames, model.Config.DitConfig.MelDim], ScalarType.Float32, generator: generator);
    }

    /// <summary>Adds codes and returns every chunk they completed (often none).</summary>
    /// <exception cref="ArgumentOutOfRangeException">a code outside the DiT's codec table.</exception>
    public IReadOnlyList<Token2WavAudioChunk> Append(ReadOnlySpan<long> codes)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_finished)
        {
            throw new InvalidOperationException("the utterance is finished");
        }
        foreach (var code in codes)
        {
            if (code < 0 || code >= _codecTable)
            {
                throw new ArgumentOutOfRangeException(nameof(codes), code, $"codec id outside the DiT codec table [0, {_codecTable}); a talker stop code must not reach token2wav");
            }
        }
        if (_codes.Count + codes.Length > MaxCodes)
        {
            throw new InvalidOperationException($"the utterance outgrew its noise: {_codes.Count + codes.Length} codes, room for {MaxCodes}");
        }
        _codes.AddRange(codes);
        var ready = new List<Token2WavAudioChunk>();
        while (FramesKnown >= ((long)ChunksEmitted + 1) * _options.ChunkFrames + _options.FutureFrames)
        {
            ready.Add(Emit(final: false));
        }
        return ready;
    }

    /// <summary>Ends the utterance and returns the remaining audio (possibly empty when no code came).</summary>
    public Token2WavAudioChunk Finish()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_finished)
        {
            throw new InvalidOperationException("the utterance is already finished");
        }
        if (_codes.Count == 0)
        {
            _finished = true;
            return new Token2WavAudioChunk(ChunksEmitted++, _emittedSamples, [], true);
        }
        var chunk = Emit(final: true);
        _finished = true;
        return chunk;
    }

    private long FramesKnown => (long)_codes.Count * _model.Repeats;

    private Token2WavAudioChunk Emit(bool final)
    {
        var (c, p, f, v) = (_options.ChunkFrames, _options.PastFrames, _options.FutureFrames, _options.VocoderOverlapFrames);
        var k = ChunksEmitted;
        var start = Math.Max((long)k * c - p, 0);
        var end = final ? FramesKnown : ((long)k + 1) * c + f;
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var repeats = _model.Repeats;
        var codes = tensor(_codes.GetRange((int)(start / repeats), (int)((end - start) / repeats)).ToArray(), [1, (end - start) / repeats]);
        var generated = _model.Sample(codes, _conditioning, _referenceMel, _noise.narrow(1, start, end - start),
            _options.Steps, _options.GuidanceScale, _options.SwayCoefficient).to_type(ScalarType.Float32);

        Tensor mel;
        long dropHead;
        long dropTail;
        if (k == 0)
        {
            mel = final ? generated : generated.narrow(2, 0, c);
            (dropHead, dropTail) = (0, final ? 0 : v);
        }
        else
        {
            var own = k * (long)c - start;
            var trimmed = generated.narrow(2, own, final ? generated.shape[2] - own : c);
            mel = cat([_previousMel!.narrow(2, _previousMel.shape[2] - 2 * v, 2 * v), trimmed], 2);
            (dropHead, dropTail) = (v, final ? 0 : v);
        }
        var audio = _model.code2wav_bigvgan_model.forward(mel).reshape(-1);
        var keep = audio.narrow(0, dropHead * _hop, audio.shape[0] - (dropHead + dropTail) * _hop);
        var samples = keep.cpu().data<float>().ToArray();

        _previousMel?.Dispose();
        _previousMel = mel.narrow(2, Math.Max(mel.shape[2] - 2 * v, 0), Math.Min(2 * v, mel.shape[2])).clone().DetachFromDisposeScope();
        var chunk = new Token2WavAudioChunk(ChunksEmitted++, _emittedSamples, samples, final);
        _emittedSamples += samples.Length;
        return chunk;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _previousMel?.Dispose();
        _previousMel = null;
        _disposed = true;
        _conditioning.Dispose();
        _referenceMel.Dispose();
        _noise.Dispose();
    }
}
