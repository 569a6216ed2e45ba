namespace Streamer.Models.Qwen25Omni;

/// <summary>
/// One piece of a streamed answer: mono float PCM at the vocoder's rate (24 kHz for Qwen2.5-Omni),
/// starting <see cref="FirstSample"/> samples into the utterance. Chunks are contiguous.
/// </summary>
public sealed record Token2WavAudioChunk(int Index, long FirstSample, float[] Samples, bool IsLast)
{
    public const int SampleRate = 24000;
}
