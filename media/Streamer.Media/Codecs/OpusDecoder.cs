using Streamer.Media.Codecs.Native;

namespace Streamer.Media.Codecs;

/// <summary>
/// libopus decoder at 48 kHz. PCM is interleaved 16-bit; sizes are in samples per channel.
/// Bad packets return a negative libopus error code instead of throwing.
/// </summary>
public sealed unsafe class OpusDecoder : IDisposable
{
    public const int SampleRate = 48000;
    /// <summary>Samples per channel in a 20 ms frame.</summary>
    public const int FrameSize = 960;
    /// <summary>The longest Opus packet: 120 ms.</summary>
    public const int MaxFrameSize = 5760;

    private readonly OpusDecoderHandle _handle;

    public OpusDecoder(int channels)
    {
        if (channels is not (1 or 2))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), "Opus decodes 1 or 2 channels.");
        }
        NativeLibraries.EnsureRegistered();
        _handle = new OpusDecoderHandle(Opus.opus_decoder_create(SampleRate, channels, out var error));
        if (_handle.IsInvalid || error != Opus.Ok)
        {
            _handle.Dispose();
            throw new InvalidOperationException($"opus_decoder_create: {Opus.ErrorText(error)}");
        }
        Channels = channels;
    }

    public int Channels { get; }

    /// <summary>
    /// Decodes one packet into <paramref name="pcm"/> (room for up to <see cref="MaxFrameSize"/>
    /// samples per channel is always enough). Returns samples per channel, or a negative error.
    /// </summary>
    public int Decode(ReadOnlySpan<byte> packet, Span<short> pcm)
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        if (packet.IsEmpty)
        {
            return DecodeLost(pcm, FrameSize);
        }
        fixed (byte* data = packet)
        fixed (short* output = pcm)
        {
            return Opus.opus_decode(_handle.Pointer, data, packet.Length, output, pcm.Length / Channels, 0);
        }
    }

    /// <summary>
    /// Packet-loss concealment: synthesizes <paramref name="samplesPerChannel"/> samples
    /// (a multiple of 2.5 ms, normally the lost packet's duration) in place of a lost packet.
    /// </summary>
    public int DecodeLost(Span<short> pcm, int samplesPerChannel = FrameSize)
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        if (pcm.Length < samplesPerChannel * Channels)
        {
            throw new ArgumentException("PCM buffer too small.", nameof(pcm));
        }
        fixed (short* output = pcm)
        {
            return Opus.opus_decode(_handle.Pointer, null, 0, output, samplesPerChannel, 0);
        }
    }

    /// <summary>
    /// In-band FEC: rebuilds the <paramref name="samplesPerChannel"/> samples lost just before
    /// <paramref name="nextPacket"/> from the low-bit-rate copy it carries (SILK and hybrid
    /// packets encoded with FEC on). Where the packet carries none, libopus conceals instead,
    /// so the result is never worse than <see cref="DecodeLost"/>. Decode
    /// <paramref name="nextPacket"/> itself normally afterwards.
    /// </summary>
    public int DecodeFec(ReadOnlySpan<byte> nextPacket, Span<short> pcm, int samplesPerChannel = FrameSize)
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        if (nextPacket.IsEmpty) return DecodeLost(pcm, samplesPerChannel);
        if (pcm.Length < samplesPerChannel * Channels)
        {
            throw new ArgumentException("PCM buffer too small.", nameof(pcm));
        }
        fixed (byte* data = nextPacket)
        fixed (short* output = pcm)
        {
            return Opus.opus_decode(_handle.Pointer, data, nextPacket.Length, output, samplesPerChannel, 1);
        }
    }

    /// <summary>
    /// Whether <paramref name="packet"/> can carry in-band FEC: only SILK and hybrid modes have it
    /// (TOC configurations 0 to 15, RFC 6716 3.1); CELT-only packets never do.
    /// </summary>
    public static bool MayCarryFec(ReadOnlySpan<byte> packet) => !packet.IsEmpty && packet[0] >> 3 < 16;

    /// <summary>Samples per channel at 48 kHz that <paramref name="packet"/> decodes to, or a negative error for a malformed one.</summary>
    public static int PacketSamples(ReadOnlySpan<byte> packet)
    {
        if (packet.IsEmpty) return Opus.BadArgument;
        NativeLibraries.EnsureRegistered();
        fixed (byte* data = packet)
        {
            return Opus.opus_packet_get_nb_samples(data, packet.Length, SampleRate);
        }
    }

    public static string ErrorText(int error) => Opus.ErrorText(error);

    public void Dispose() => _handle.Dispose();
}
