using Streamer.Models.Generation;
using Streamer.Models.Qwen25Omni;
using Streamer.Models.Tests.Fixtures;
using Streamer.Models.Weights;

namespace Streamer.Models.Tests.Qwen25Omni;

/// <summary>Loads a fixture folder's talker and builds the talker case's prompt.</summary>
internal static class TalkerFixture
{
    public static Qwen25OmniTalkerConfig Config(string folder)
    {
        FixtureData.RequireFolder(folder);
        return Qwen25OmniConfig.Load(folder).TalkerConfig
            ?? throw new InvalidOperationException($"{folder}/config.json has no talker_config");
    }

    public static Qwen25OmniTalker Load(string folder)
    {
        var config = Config(folder);
        using var ckpt = SafeTensorsCheckpoint.Open(folder);
        return Qwen25OmniTalker.Load(config, ckpt);
    }

    /// <summary>The prompt of the talker case; its tensors live in the caller's dispose scope.</summary>
    public static TalkerPrompt Prompt(FixtureCase c) =>
        new(c.Input("inputs_embeds"), c.Input("input_text_ids"), c.Input("thinker_reply_part"))
        {
            AttentionMask = c.Input("attention_mask"),
            VideoGridThw = c.HasInput("video_grid_thw") ? c.Input("video_grid_thw") : null,
            ImageGridThw = c.HasInput("image_grid_thw") ? c.Input("image_grid_thw") : null,
            SecondPerGrids = c.HasInput("video_second_per_grid") ? c.Input("video_second_per_grid") : null,
            UseAudioInVideo = c.Call.Contains("use_audio_in_video=True", StringComparison.Ordinal),
        };
}
