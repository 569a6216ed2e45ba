using Streamer.Models.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Models.Qwen25Omni;

/// <summary>
/// Qwen2.5-Omni Token2Wav (<c>token2wav.*</c>): talker codes -> mel by integrating the DiT's
/// flow from noise (RK4 over sway-warped time points, classifier-free guidance at every
/// evaluation) -> 24 kHz waveform by BigVGAN. The initial noise is an input so the caller owns
/// the randomness (the reference draws torch.randn([1, 30000, mel_dim]) and keeps the first frames).
/// </summary>
public sealed class Qwen25OmniToken2Wav : nn.Module
{
    public const string CheckpointPrefix = "token2wav.";
    public const int DefaultSteps = 10;
    public const double DefaultGuidanceScale = 0.5;
    public const double DefaultSwayCoefficient = -1.0;

    /// <summary>Below this guidance scale the unconditional branch is skipped, as in the reference.</summary>
    private const double NoGuidance = 1e-5;

    public readonly Qwen25OmniDiT code2wav_dit_model;
    public readonly Qwen25OmniBigVGAN code2wav_bigvgan_model;

    public Qwen25OmniToken2Wav(Qwen25OmniToken2WavConfig config) : base(nameof(Qwen25OmniToken2Wav))
    {
        Config = config;
        code2wav_dit_model = new Qwen25OmniDiT(config.DitConfig);
        code2wav_bigvgan_model = new Qwen25OmniBigVGAN(config.BigVGANConfig);
        RegisterComponents();
    }

    public Qwen25OmniToken2WavConfig Config { get; }

    /// <summary>Mel frames produced per talker code.</summary>
    public int Repeats => Config.DitConfig.Repeats;

    /// <summary>
    /// Builds token2wav, loads every <c>token2wav.*</c> tensor and places it. The reference always
    /// runs token2wav in float32; a different dtype in <paramref name="options"/> is honoured but
    /// leaves parity.
    /// </summary>
    public static Qwen25OmniToken2Wav Load(Qwen25OmniToken2WavConfig config, SafeTensorsCheckpoint checkpoint, ModelDeviceOptions? options = null)
    {
        options ??= ModelDeviceOptions.Cpu;
        var model = new Qwen25OmniToken2Wav(config);
        try
        {
            model.to(options.ScalarType).to(options.TorchDevice);
            model.eval();
            CheckpointLoader.Load(model, checkpoint, CheckpointPrefix);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The ODE time points: linspace(0, 1, steps) warped by
    /// t + sway * (cos(pi/2 t) - 1 + t), computed in float32 as the reference does. A negative sway
    /// spends more steps near t = 0.
    /// </summary>
    public static Tensor TimePoints(int steps, double? swayCoefficient, Device? device = null)
    {
        if (steps < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(steps), "at least two time points are needed");
        }
        using var scope = NewDisposeScope();
        var t = linspace(0, 1, steps, ScalarType.Float32, device);
        if (swayCoefficient is { } sway)
        {
            t = t + ((t * (Math.PI / 2)).cos() - 1 + t) * sway;
        }
        return t.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// DiT sampling: codes -> mel [1, mel_dim, T] with T = codes * repeats.
    /// </summary>
    /// <param name="codes">talker codes [1, N] int64</param>
    /// <param name="conditioning">speaker vector [1, enc_emb_dim] (the speaker's <c>cond</c>)</param>
    /// <param name="referenceMel">speaker reference mel [1, T_ref, mel_dim]</param>
    /// <param name="noise">initial state [1, T' >= T, mel_dim]; its first T frames are used</param>
    public Tensor Sample(Tensor codes, Tensor conditioning, Tensor referenceMel, Tensor noise,
        int steps = DefaultSteps, double guidanceScale = DefaultGuidanceScale, double? swayCoefficient = DefaultSwayCoefficient)
    {
        if (referenceMel.shape[0] != 1 || codes.shape[0] != 1)
        {
            throw new ArgumentException("only batch size 1 is supported, as in the reference");
        }
        var frames = codes.shape[1] * Repeats;
        if (noise.shape[1] < frames)
        {
            throw new ArgumentException($"noise has {noise.shape[1]} frames but {frames} are needed");
        }
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var dit = code2wav_dit_model;
        var weight = dit.proj_out.weight!;
        var (device, dtype) = (weight.device, weight.dtype);
        var codesOnDevice = codes.to(ScalarType.Int64, device);
        var reference = referenceMel.to(dtype, device);
        var speaker = conditioning.to(dtype, device).unsqueeze(1).expand(-1, frames, -1);
        var initial = noise.narrow(1, 0, frames).to(dtype, device);

        Tensor Velocity(Tensor t, Tensor y)
        {
            if (guidanceScale < NoGuidance)
            {
                return dit.forward(y, reference, speaker, codesOnDevice, t, applyCfg: false);
            }
            using var velocityScope = NewDisposeScope();
            var both = dit.forward(y, reference, speaker, codesOnDevice, t, applyCfg: true).chunk(2, 0);
            var (guided, unconditional) = (both[0], both[1]);
            return (guided + (guided - unconditional) * guidanceScale).MoveToOuterDisposeScope();
        }

        var timePoints = TimePoints(steps, swayCoefficient, device).to_type(dtype);
        var final = RungeKutta4OdeSolver.IntegrateToEnd(Velocity, initial, timePoints);
        return final.permute(0, 2, 1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The reference forward: codes -> mel (<see cref="Sample"/>) -> waveform clamped to [-1, 1],
    /// 1-D [T * hop] on the model's device.
    /// </summary>
    public Tensor forward(Tensor codes, Tensor conditioning, Tensor referenceMel, Tensor noise,
        int steps = DefaultSteps, double guidanceScale = DefaultGuidanceScale, double? swayCoefficient = DefaultSwayCoefficient)
    {
        using var scope = NewDisposeScope();
        var mel = Sample(codes, conditioning, referenceMel, noise, steps, guidanceScale, swayCoefficient);
        return code2wav_bigvgan_model.forward(mel).MoveToOuterDisposeScope();
    }
}
