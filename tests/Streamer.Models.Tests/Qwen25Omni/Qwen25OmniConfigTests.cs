using System.Text;
using System.Text.Json;
using Streamer.Models.Qwen25Omni;
using Streamer.Models.Tests.Fixtures;

namespace Streamer.Models.Tests.Qwen25Omni;

public sealed class Qwen25OmniConfigTests
{
    // The layout of the released Qwen2.5-Omni checkpoints: rope_theta and rope_scaling at the
    // top of text_config, in_chans in vision_config.
    private const string ReleasedLayout = """
    {
      "model_type": "qwen2_5_omni",
      "thinker_config": {
        "audio_end_token_id": 151648, "audio_start_token_id": 151647, "audio_token_index": 151646,
        "image_token_index": 151655, "video_token_index": 151656, "vision_end_token_id": 151653,
        "vision_start_token_id": 151652, "vision_token_id": 151654, "user_token_id": 872,
        "position_id_per_seconds": 25, "seconds_per_chunk": 2, "pad_token_id": 151643,
        "text_config": {
          "hidden_size": 2048, "intermediate_size": 11008, "num_attention_heads": 16,
          "num_hidden_layers": 36, "num_key_value_heads": 2, "vocab_size": 151936,
          "rms_norm_eps": 1e-06, "rope_theta": 1000000.0,
          "rope_scaling": { "mrope_section": [16, 24, 24], "rope_type": "default", "type": "default" }
        },
        "vision_config": {
          "depth": 32, "embed_dim": 1280, "hidden_size": 1280, "num_heads": 16, "intermediate_size": 5120,
          "out_hidden_size": 2048, "patch_size": 14, "temporal_patch_size": 2, "spatial_merge_size": 2,
          "window_size": 112, "fullatt_block_indexes": [7, 15, 23, 31], "in_chans": 3, "hidden_act": "silu"
        },
        "audio_config": {
          "d_model": 1280, "encoder_layers": 32, "encoder_attention_heads": 20, "encoder_ffn_dim": 5120,
          "num_mel_bins": 128, "max_source_positions": 1500, "n_window": 100, "output_dim": 2048
        }
      },
      "talker_config": {
        "audio_end_token_id": 151648, "audio_start_token_id": 151647, "audio_token_index": 151646,
        "embedding_size": 3584, "head_dim": 64, "hidden_act": "silu", "hidden_size": 896,
        "image_token_index": 151655, "intermediate_size": 18944, "max_position_embeddings": 32768,
        "num_attention_heads": 12, "num_hidden_layers": 24, "num_key_value_heads": 4,
        "position_id_per_seconds": 25, "rms_norm_eps": 1e-06, "rope_theta": 1000000.0,
        "rope_scaling": { "mrope_section": [16, 16, 0], "rope_type": "default", "type": "default" },
        "seconds_per_chunk": 2, "spatial_merge_size": 2, "tts_codec_end_token_id": 8294,
        "tts_codec_mask_token_id": 8296, "tts_codec_pad_token_id": 8292, "tts_codec_start_token_id": 8293,
        "tts_text_end_token_id": 151861, "tts_text_pad_token_id": 151859, "tts_text_start_token_id": 151860,
        "video_token_index": 151656, "vision_end_token_id": 151653, "vision_start_token_id": 151652,
        "vocab_size": 8448
      },
      "token2wav_config": {}
    }
    """;

    [Fact]
    public void Parse_accepts_the_released_layout_with_top_level_rope_theta_and_rope_scaling()
    {
        var config = Qwen25OmniConfig.Parse(new MemoryStream(Encoding.UTF8.GetBytes(ReleasedLayout)));
        var text = config.ThinkerConfig.TextConfig;

        Assert.Equal(1_000_000.0, text.RopeTheta);
        Assert.Equal([16, 24, 24], text.MropeSection);
        Assert.Equal(128, text.HeadDim);
        Assert.Equal(8, text.KvGroups);
        Assert.Equal(3, config.ThinkerConfig.VisionConfig.InChannels);
        Assert.Equal(151656, config.ThinkerConfig.VideoTokenIndex);
        var talker = config.TalkerConfig!;
        Assert.Equal(896, talker.HiddenSize);
        Assert.Equal(3584, talker.EmbeddingSize);
        // head_dim is explicit: 12 heads x 64 = 768, not the hidden size.
        Assert.Equal(64, talker.HeadDim);
        Assert.Equal([16, 16, 0], talker.DecoderConfig.MropeSection);
        Assert.Equal(1_000_000.0, talker.DecoderConfig.RopeTheta);
        Assert.Equal(8448, talker.DecoderConfig.VocabSize);
        Assert.Equal(8293, talker.TtsCodecStartTokenId);
        Assert.Equal(151859, talker.TtsTextPadTokenId);
        Assert.Equal(151656, talker.RopeIndexConfig.VideoTokenId);
    }

    [Fact]
    public void Parse_rejects_a_talker_codec_id_outside_the_codec_vocabulary()
    {
        var json = ReleasedLayout.Replace("\"tts_codec_end_token_id\": 8294", "\"tts_codec_end_token_id\": 8448", StringComparison.Ordinal);
        Assert.NotEqual(ReleasedLayout, json);

        Assert.Throws<InvalidDataException>(() => Qwen25OmniConfig.Parse(new MemoryStream(Encoding.UTF8.GetBytes(json))));
    }

    [Fact]
    public void Parse_rejects_a_talker_config_without_codec_ids()
    {
        var json = ReleasedLayout.Replace("\"tts_codec_pad_token_id\": 8292, ", "", StringComparison.Ordinal);
        Assert.NotEqual(ReleasedLayout, json);

        Assert.Throws<InvalidDataException>(() => Qwen25OmniConfig.Parse(new MemoryStream(Encoding.UTF8.GetBytes(json))));
    }

    [Fact]
    public void Parse_rejects_mrope_section_that_does_not_cover_half_the_head()
    {
        var json = ReleasedLayout.Replace("[16, 24, 24]", "[16, 24, 16]", StringComparison.Ordinal);

        Assert.Throws<InvalidDataException>(() => Qwen25OmniConfig.Parse(new MemoryStream(Encoding.UTF8.GetBytes(json))));
    }

    [Theory]
    [Trait("Category", "Parity")]
    [MemberData(nameof(FixtureData.Folders), MemberType = typeof(FixtureData))]
    public void Load_reads_fixture_config_and_agrees_with_cases_json_token_ids(string folder)
    {
        FixtureData.RequireFolder(folder);
        var config = Qwen25OmniConfig.Load(folder);
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, FixtureCase.CasesJson)));
        var special = doc.RootElement.GetProperty("special_tokens");
        var thinker = config.ThinkerConfig;
        var text = thinker.TextConfig;

        Assert.Equal(special.GetProperty("<|IMAGE|>").GetInt64(), thinker.ImageTokenIndex);
        Assert.Equal(special.GetProperty("<|VIDEO|>").GetInt64(), thinker.VideoTokenIndex);
        Assert.Equal(special.GetProperty("<|AUDIO|>").GetInt64(), thinker.AudioTokenIndex);
        Assert.Equal(special.GetProperty("<|vision_bos|>").GetInt64(), thinker.VisionStartTokenId);
        Assert.Equal(special.GetProperty("<|audio_bos|>").GetInt64(), thinker.AudioStartTokenId);
        Assert.Equal(text.HiddenSize / text.NumAttentionHeads, text.HeadDim);
        Assert.Equal(text.HeadDim / 2, text.MropeSection.Sum());
        Assert.True(thinker.VisionConfig.Depth > 0 && thinker.AudioConfig.EncoderLayers > 0);
    }
}
