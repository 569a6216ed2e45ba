using Streamer.Models.Generation;
using Streamer.Models.Qwen25Omni;

namespace Streamer.Models.Speech;

/// <summary>Talker sampling and token2wav streaming settings for <see cref="SpeechSynthesizer"/>.</summary>
public sealed record SpeechSynthesizerOptions
{
    public TalkerGenerationOptions Talker { get; init; } = new();

    /// <summary>Null takes <see cref="StreamingToken2WavOptions.Reference"/> for the loaded DiT.</summary>
    public StreamingToken2WavOptions? Streaming { get; init; }

    /// <summary>Mel frames of utterance noise drawn per answer (the reference draws 30000).</summary>
    public int NoiseFrames { get; init; } = 30000;
}
