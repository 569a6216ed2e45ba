using Streamer.Models.Qwen25Omni;
using Streamer.Models.Speech;
using Streamer.Server.Models;

namespace Streamer.Server.Speech;

/// <summary>
/// The talker, token2wav and voices that speak the thinker's answers. Owns the speech models and
/// the dictionary; the thinker stays the <see cref="ThinkerHost"/>'s.
/// </summary>
public sealed class LoadedSpeech : IDisposable
{
    private readonly Qwen25OmniTalker _talker;
    private readonly Qwen25OmniToken2Wav _token2wav;

    public LoadedSpeech(LoadedThinker thinker, Qwen25OmniTalker talker, Qwen25OmniToken2Wav token2wav, SpeakerDictionary speakers, SpeechOptions options)
    {
        if (speakers.Count == 0) throw new SpeechUnavailableException("the speaker dictionary holds no voice; answers are text only");
        _talker = talker;
        _token2wav = token2wav;
        Speakers = speakers;
        Repeats = token2wav.Repeats;
        HopLength = token2wav.Config.BigVGANConfig.HopLength;
        Synthesizer = new SpeechSynthesizer(thinker.Thinker, talker, token2wav, speakers, new SpeechSynthesizerOptions
        {
            Talker = new() { MaxNewTokens = Math.Min(options.MaxCodes, options.NoiseFrames / token2wav.Repeats) },
            NoiseFrames = options.NoiseFrames,
        });
        var streaming = Synthesizer.Options.Streaming ?? StreamingToken2WavOptions.Reference(token2wav.Config.DitConfig);
        ChunkSamples = streaming.ChunkFrames * HopLength;
        DefaultSpeaker = string.IsNullOrWhiteSpace(options.Speaker) ? speakers.Names[0] : options.Speaker;
    }

    public SpeechSynthesizer Synthesizer { get; }

    public SpeakerDictionary Speakers { get; }

    /// <summary>The configured voice (Speech:Speaker), else the dictionary's first.</summary>
    public string DefaultSpeaker { get; }

    public int Repeats { get; }

    public int HopLength { get; }

    /// <summary>24 kHz samples per streamed chunk: how much audio an interrupt can still let out.</summary>
    public int ChunkSamples { get; }

    public void Dispose()
    {
        _talker.Dispose();
        _token2wav.Dispose();
        Speakers.Dispose();
    }
}
