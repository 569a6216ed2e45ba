using System.Globalization;
using System.Text.Json;
using Streamer.Models;
using Streamer.Models.Qwen25Omni;
using Streamer.Models.Speech;
using Streamer.Server.Speech;
using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Server.Models;

/// <summary>
/// A small talker and token2wav with random weights that fit <see cref="RandomThinker"/>, and one
/// random voice, so speech runs every stage without a checkpoint. Every dimension and token id the
/// talker shares with the thinker is read from the thinker's config; the talker's own text ids
/// (text start, end, pad, the voice's bos) are control bytes the random thinker never generates.
/// What it says is noise.
/// </summary>
public static class RandomSpeech
{
    public const string SpeakerName = "Random";

    // Control bytes 0x01..0x04 of the byte-level tokenizer: real embeddings, never generated.
    private const long TextStart = 1, TextEnd = 2, TextPad = 3, SpeakerBos = 4;

    public static Qwen25OmniTalkerConfig TalkerConfig(Qwen25OmniThinkerConfig thinker)
    {
        string N(double v) => v.ToString(CultureInfo.InvariantCulture);
        var json = $$"""
        {
          "vocab_size": 320, "embedding_size": {{thinker.TextConfig.HiddenSize}}, "hidden_size": 48, "intermediate_size": 96,
          "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 16,
          "rms_norm_eps": 1e-6, "max_position_embeddings": 32768,
          "rope_parameters": { "mrope_section": [2, 3, 3], "rope_theta": 1000000.0, "rope_type": "default" },
          "tts_codec_start_token_id": 301, "tts_codec_end_token_id": 302, "tts_codec_pad_token_id": 300, "tts_codec_mask_token_id": 304,
          "tts_text_start_token_id": {{TextStart}}, "tts_text_end_token_id": {{TextEnd}}, "tts_text_pad_token_id": {{TextPad}},
          "audio_token_index": {{thinker.AudioTokenIndex}}, "image_token_index": {{thinker.ImageTokenIndex}}, "video_token_index": {{thinker.VideoTokenIndex}},
          "audio_start_token_id": {{thinker.AudioStartTokenId}}, "audio_end_token_id": {{thinker.AudioEndTokenId}},
          "vision_start_token_id": {{thinker.VisionStartTokenId}}, "vision_end_token_id": {{thinker.VisionEndTokenId}},
          "position_id_per_seconds": {{N(thinker.PositionIdPerSeconds)}}, "seconds_per_chunk": {{N(thinker.SecondsPerChunk)}},
          "spatial_merge_size": {{thinker.VisionConfig.SpatialMergeSize}}
        }
        """;
        return JsonSerializer.Deserialize<Qwen25OmniTalkerConfig>(json, Qwen25OmniConfig.JsonOptions)!;
    }

    /// <summary>Sizes of the tiny test fixture's token2wav; the DiT's codec table is the talker's vocabulary.</summary>
    public static Qwen25OmniToken2WavConfig Token2WavConfig(Qwen25OmniTalkerConfig talker)
    {
        var json = $$"""
        {
          "dit_config": {
            "block_size": 4, "emb_dim": 32, "enc_attention_channels": 16, "enc_channels": [32, 32, 32, 32, 96],
            "enc_dilations": [1, 2, 3, 4, 1], "enc_dim": 16, "enc_emb_dim": 24, "enc_kernel_sizes": [5, 3, 3, 3, 1],
            "enc_res2net_scale": 2, "enc_se_channels": 16, "ff_mult": 2, "head_dim": 16, "hidden_size": 64,
            "look_ahead_layers": [1], "look_backward_layers": [0, 2], "max_position_embeddings": 32768, "mel_dim": 80,
            "num_attention_heads": 4, "num_embeds": {{talker.VocabSize}}, "num_hidden_layers": 3, "repeats": 2,
            "rope_parameters": { "rope_theta": 10000.0, "rope_type": "default" }
          },
          "bigvgan_config": {
            "mel_dim": 80, "resblock_dilation_sizes": [[1, 3, 5], [1, 3, 5], [1, 3, 5]], "resblock_kernel_sizes": [3, 7, 11],
            "upsample_initial_channel": 32, "upsample_kernel_sizes": [11, 7, 8, 8], "upsample_rates": [5, 3, 4, 4]
          }
        }
        """;
        return JsonSerializer.Deserialize<Qwen25OmniToken2WavConfig>(json, Qwen25OmniConfig.JsonOptions)!;
    }

    /// <summary>Builds the random speech models next to a random thinker; the caller owns them.</summary>
    public static LoadedSpeech Create(LoadedThinker thinker, ModelDeviceOptions talkerDevice, ModelDeviceOptions token2wavDevice,
        SpeechOptions options, int seed)
    {
        var talkerConfig = TalkerConfig(thinker.Thinker.Config);
        var token2wavConfig = Token2WavConfig(talkerConfig);
        lock (RandomWeights.Gate)
        {
            torch.random.manual_seed(seed);
            return Build(thinker, talkerConfig, token2wavConfig, talkerDevice, token2wavDevice, options);
        }
    }

    private static LoadedSpeech Build(LoadedThinker thinker, Qwen25OmniTalkerConfig talkerConfig, Qwen25OmniToken2WavConfig token2wavConfig,
        ModelDeviceOptions talkerDevice, ModelDeviceOptions token2wavDevice, SpeechOptions options)
    {
        Qwen25OmniTalker? talker = null;
        Qwen25OmniToken2Wav? token2wav = null;
        SpeakerDictionary? speakers = null;
        try
        {
            talker = new Qwen25OmniTalker(talkerConfig);
            using (no_grad())
            {
                // Random logits of the stop codes would end answers at a random length; like the
                // random thinker, the random talker speaks until its limit (Speech:MaxCodes).
                talker.codec_head.weight![talkerConfig.TtsCodecPadTokenId].zero_();
                talker.codec_head.weight![talkerConfig.TtsCodecEndTokenId].zero_();
            }
            talker.Place(talkerDevice);
            talker.eval();
            token2wav = new Qwen25OmniToken2Wav(token2wavConfig);
            token2wav.to(token2wavDevice.ScalarType).to(token2wavDevice.TorchDevice);
            token2wav.eval();
            var dit = token2wavConfig.DitConfig;
            using (no_grad())
            {
                var voice = new Speaker(SpeakerName, SpeakerBos, randn(1, dit.EncEmbDim), randn(1, 30, dit.MelDim));
                speakers = SpeakerDictionary.From([voice]);
            }
            return new LoadedSpeech(thinker, talker, token2wav, speakers, options);
        }
        catch
        {
            talker?.Dispose();
            token2wav?.Dispose();
            speakers?.Dispose();
            throw;
        }
    }
}
