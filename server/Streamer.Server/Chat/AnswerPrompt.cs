using Streamer.Models.Processing;
using Streamer.Models.Qwen25Omni;
using Streamer.Server.Models;

namespace Streamer.Server.Chat;

/// <summary>
/// The chat layout split around the live video: the sink is everything before it (system turn,
/// the user turn's start and &lt;|vision_bos|&gt;), the question everything after it
/// (&lt;|vision_eos|&gt;, the question, the end of the user turn and the assistant's start).
/// A spoken question takes the chat template's audio part in place of the text.
/// </summary>
public static class AnswerPrompt
{
    private const string VisionStart = "<|vision_bos|>";
    private const string VisionEnd = "<|vision_eos|>";

    public static long[] SinkIds(LoadedThinker model)
    {
        var system = ChatTemplate.Render([ChatTemplateMessage.System(ChatTemplate.DefaultSystemPrompt)], addGenerationPrompt: false);
        var text = system + ChatTemplate.ImStart + ChatTemplateMessage.UserRole + "\n" + VisionStart;
        return [.. model.Tokenizer.Encode(text).Select(i => (long)i)];
    }

    /// <summary>The question's ids; its text is the user's, so special tokens written in it stay plain text.</summary>
    public static long[] QuestionIds(LoadedThinker model, string question)
    {
        var tokenizer = model.Tokenizer;
        var tail = ChatTemplate.ImEnd + "\n" + ChatTemplate.ImStart + ChatTemplateMessage.AssistantRole + "\n";
        return [.. tokenizer.Encode(VisionEnd).Concat(tokenizer.Encode(question, parseSpecialTokens: false)).Concat(tokenizer.Encode(tail))
            .Select(i => (long)i)];
    }

    /// <summary>
    /// A spoken question's ids: the audio part's placeholder expanded to one
    /// &lt;|AUDIO|&gt; per audio encoder output row of <paramref name="samples"/> 16 kHz samples.
    /// </summary>
    public static long[] AudioQuestionIds(LoadedThinker model, int samples)
    {
        var tokenizer = model.Tokenizer;
        var audioToken = model.Thinker.Config.AudioTokenIndex;
        var tokens = AudioTokens(model, samples);
        var tail = ChatTemplate.ImEnd + "\n" + ChatTemplate.ImStart + ChatTemplateMessage.AssistantRole + "\n";
        var audio = tokenizer.Encode(ChatTemplate.AudioPlaceholder).Select(i => (long)i)
            .SelectMany(id => id == audioToken ? Enumerable.Repeat(id, tokens) : [id]);
        return [.. tokenizer.Encode(VisionEnd).Select(i => (long)i).Concat(audio).Concat(tokenizer.Encode(tail).Select(i => (long)i))];
    }

    /// <summary>Audio encoder rows for <paramref name="samples"/> samples: the valid mel frames through its two stride-2 stages.</summary>
    public static int AudioTokens(LoadedThinker model, int samples)
    {
        var options = WhisperFeatureExtractorOptions.For(model.Thinker.Config.AudioConfig);
        var frames = Math.Min(options.MaxFrames, (Math.Min(samples, options.MaxSamples) + options.HopLength - 1) / options.HopLength);
        return (int)Qwen25OmniAudioEncoder.FeatExtractOutputLengths(frames).Output;
    }
}
