using Streamer.Media.Codecs.Native;

namespace Streamer.Media.Codecs;

/// <summary>libopus encoder at 48 kHz; input is interleaved 16-bit PCM, 960 samples per channel per 20 ms.</summary>
public sealed unsafe class OpusEncoder : IDisposable
{
    public const int SampleRate = 48000;
    public const int FrameSize = 960;
    /// <summary>Enough for any single Opus packet (RFC 6716 allows up to 1275 bytes per frame).</summary>
    public const int MaxPacketSize = 4000;

    private readonly OpusEncoderHandle _handle;

    public OpusEncoder(int channels, int bitRate = 32000, OpusApplication application = OpusApplication.Voip)
    {
        if (channels is not (1 or 2))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), "Opus encodes 1 or 2 channels.");
        }
        NativeLibraries.EnsureRegistered();
        _handle = new OpusEncoderHandle(Opus.opus_encoder_create(SampleRate, channels, (int)application, out var error));
        if (_handle.IsInvalid || error != Opus.Ok)
        {
            _handle.Dispose();
            throw new InvalidOperationException($"opus_encoder_create: {Opus.ErrorText(error)}");
        }
        var result = Opus.opus_encoder_ctl(_handle.Pointer, Opus.SetBitrateRequest, bitRate);
        if (result != Opus.Ok)
        {
            _handle.Dispose();
            throw new ArgumentOutOfRangeException(nameof(bitRate), $"OPUS_SET_BITRATE: {Opus.ErrorText(result)}");
        }
        Channels = channels;
    }

    public int Channels { get; }

    /// <summary>
    /// Turns in-band FEC on: each SILK or hybrid packet also carries a low-bit-rate copy of the
    /// frame before it, sized for <paramref name="expectedLossPercent"/> loss, so a receiver can
    /// rebuild a single lost packet from the next one.
    /// </summary>
    public void EnableInbandFec(int expectedLossPercent)
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedLossPercent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(expectedLossPercent, 100);
        var result = Opus.opus_encoder_ctl(_handle.Pointer, Opus.SetInbandFecRequest, 1);
        if (result == Opus.Ok) result = Opus.opus_encoder_ctl(_handle.Pointer, Opus.SetPacketLossPercRequest, expectedLossPercent);
        if (result != Opus.Ok) throw new InvalidOperationException($"OPUS_SET_INBAND_FEC: {Opus.ErrorText(result)}");
    }

    /// <summary>
    /// Encodes one frame (2.5 to 60 ms; 20 ms is <see cref="FrameSize"/> samples per channel)
    /// into <paramref name="destination"/>. Returns the packet length.
    /// </summary>
    public int Encode(ReadOnlySpan<short> pcm, Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        if (pcm.Length % Channels != 0)
        {
            throw new ArgumentException("PCM length must be a whole number of samples per channel.", nameof(pcm));
        }
        int result;
        fixed (short* input = pcm)
        fixed (byte* output = destination)
        {
            result = Opus.opus_encode(_handle.Pointer, input, pcm.Length / Channels, output, destination.Length);
        }
        if (result < 0)
        {
            throw new ArgumentException($"opus_encode: {Opus.ErrorText(result)}", nameof(pcm));
        }
        return result;
    }

    public void Dispose() => _handle.Dispose();
}
