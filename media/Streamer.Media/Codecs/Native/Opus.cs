using System.Runtime.InteropServices;

namespace Streamer.Media.Codecs.Native;

/// <summary>libopus entry points (opus.h).</summary>
internal static unsafe partial class Opus
{
    internal const int Ok = 0;
    internal const int BadArgument = -1;
    internal const int SetBitrateRequest = 4002;
    internal const int SetInbandFecRequest = 4012;
    internal const int SetPacketLossPercRequest = 4014;

    [LibraryImport(NativeLibraries.Opus)]
    internal static partial nint opus_decoder_create(int sampleRate, int channels, out int error);

    [LibraryImport(NativeLibraries.Opus)]
    internal static partial int opus_decode(nint decoder, byte* data, int length, short* pcm, int frameSize, int decodeFec);

    [LibraryImport(NativeLibraries.Opus)]
    internal static partial void opus_decoder_destroy(nint decoder);

    [LibraryImport(NativeLibraries.Opus)]
    internal static partial int opus_packet_get_nb_samples(byte* data, int length, int sampleRate);

    [LibraryImport(NativeLibraries.Opus)]
    internal static partial nint opus_encoder_create(int sampleRate, int channels, int application, out int error);

    [LibraryImport(NativeLibraries.Opus)]
    internal static partial int opus_encode(nint encoder, short* pcm, int frameSize, byte* data, int maxDataBytes);

    // opus_encoder_ctl is variadic; on x86-64 System V one int after the fixed arguments is
    // passed exactly like a fixed int argument, so a fixed signature is safe there.
    [LibraryImport(NativeLibraries.Opus)]
    internal static partial int opus_encoder_ctl(nint encoder, int request, int value);

    [LibraryImport(NativeLibraries.Opus)]
    internal static partial void opus_encoder_destroy(nint encoder);

    [LibraryImport(NativeLibraries.Opus)]
    internal static partial nint opus_strerror(int error);

    internal static string ErrorText(int error) => Marshal.PtrToStringUTF8(opus_strerror(error)) ?? $"opus error {error}";
}
