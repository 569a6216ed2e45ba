using Streamer.Media.Codecs;

namespace Streamer.Server.Tests.Voice;

/// <summary>48 kHz mono test audio encoded by libopus into one packet per 20 ms, as a browser sends it.</summary>
public static class OpusTestAudio
{
    public const int Rate = OpusEncoder.SampleRate;

    /// <summary><paramref name="seconds"/> of silence, <paramref name="speech"/> seconds of speech-like sound, then <paramref name="after"/> seconds of silence, all over a faint noise floor.</summary>
    public static float[] SpeechAfterSilence(double seconds, double speech, double after, int seed)
    {
        var audio = SpeechLikeSignal.Place(SpeechLikeSignal.Voiced(speech, Rate, seed), seconds, seconds + speech + after, Rate);
        return SpeechLikeSignal.Mix(audio, SpeechLikeSignal.WhiteNoise(audio.Length, 0.001, seed + 1));
    }

    public static List<EncodedFrame> Encode(float[] audio, uint firstTimestamp = 0)
    {
        using var encoder = new OpusEncoder(1);
        var frames = new List<EncodedFrame>();
        var pcm = new short[OpusEncoder.FrameSize];
        var packet = new byte[OpusEncoder.MaxPacketSize];
        for (var start = 0; start + OpusEncoder.FrameSize <= audio.Length; start += OpusEncoder.FrameSize)
        {
            for (var i = 0; i < pcm.Length; i++) pcm[i] = (short)Math.Clamp(audio[start + i] * 32767f, short.MinValue, short.MaxValue);
            var length = encoder.Encode(pcm, packet);
            frames.Add(EncodedFrame.CopyAudio(packet.AsSpan(0, length), firstTimestamp + (uint)start));
        }
        return frames;
    }

    /// <summary>16-bit PCM mono WAV, as Chromium's fake audio capture reads it.</summary>
    public static void WriteWav(string path, float[] audio, int rate)
    {
        using var writer = new BinaryWriter(File.Create(path));
        var bytes = audio.Length * 2;
        writer.Write("RIFF"u8);
        writer.Write(36 + bytes);
        writer.Write("WAVEfmt "u8);
        writer.Write(16);
        writer.Write((short)1); // PCM
        writer.Write((short)1); // mono
        writer.Write(rate);
        writer.Write(rate * 2); // bytes per second
        writer.Write((short)2); // block align
        writer.Write((short)16); // bits per sample
        writer.Write("data"u8);
        writer.Write(bytes);
        foreach (var s in audio) writer.Write((short)Math.Clamp(s * 32767f, short.MinValue, short.MaxValue));
    }
}
