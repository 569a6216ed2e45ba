using MessagePack;

namespace Streamer.Server.Speech;

/// <summary>
/// A piece of a spoken answer streamed by the hub's <c>Listen</c>: mono 16-bit PCM, little-endian
/// (bytes in MessagePack, base64 in JSON). Chunks of one answer share <see cref="SpeechId"/>, the
/// one in the answer's metadata; the answer's last chunk has <see cref="IsLast"/>.
/// </summary>
[MessagePackObject]
public sealed class SpeechAudioChunk
{
    [Key("speechId")] public long SpeechId { get; set; }

    [Key("sampleRate")] public int SampleRate { get; set; }

    [Key("samples")] public byte[] Samples { get; set; } = [];

    [Key("isLast")] public bool IsLast { get; set; }

    /// <summary>
    /// Chunks this listener missed just before this one because it read too slowly and its queue
    /// (Speech:ListenerQueue) was full: a gap in the audio.
    /// </summary>
    [Key("dropped")] public int Dropped { get; set; }

    /// <summary>The answer was interrupted: this chunk is empty, ends the answer's audio, and what was queued of it was dropped.</summary>
    [Key("interrupted")] public bool Interrupted { get; set; }

    /// <summary>Float samples in [-1, 1] as 16-bit PCM, little-endian, clipped.</summary>
    public static byte[] ToPcm16(ReadOnlySpan<float> samples)
    {
        var bytes = new byte[samples.Length * sizeof(short)];
        for (var i = 0; i < samples.Length; i++)
        {
            var value = (short)Math.Round(Math.Clamp(samples[i], -1f, 1f) * short.MaxValue);
            System.Buffers.Binary.BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(i * sizeof(short)), value);
        }
        return bytes;
    }
}
