using System.Text;
using Streamer.Models;
using Streamer.Models.Processing;
using Streamer.Models.Qwen25Omni;
using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Server.Models;

/// <summary>
/// A small Qwen2.5-Omni thinker with random weights and a byte-level tokenizer, both made in
/// code, for running every stage without a checkpoint. Its answers are meaningless. The token
/// ids of its special tokens follow the tokenizer built here, so the config and the tokenizer
/// agree the way a checkpoint's do.
/// </summary>
public static class RandomThinker
{
    private const int ByteTokens = 256;

    private static readonly string[] SpecialTokens =
    [
        "<|endoftext|>", ChatTemplate.ImStart, ChatTemplate.ImEnd,
        "<|AUDIO|>", "<|audio_bos|>", "<|audio_eos|>",
        "<|vision_bos|>", "<|vision_eos|>", "<|vision_pad|>", "<|IMAGE|>", "<|VIDEO|>",
    ];

    private static int Id(string token) => ByteTokens + Array.IndexOf(SpecialTokens, token);

    /// <summary>Sizes like the tiny test fixture: 2 text layers of 64, a 4-block vision encoder of 32.</summary>
    public static Qwen25OmniConfig Config()
    {
        var json = $$"""
        {
          "model_type": "qwen2_5_omni",
          "thinker_config": {
            "audio_token_index": {{Id("<|AUDIO|>")}},
            "audio_start_token_id": {{Id("<|audio_bos|>")}},
            "audio_end_token_id": {{Id("<|audio_eos|>")}},
            "vision_start_token_id": {{Id("<|vision_bos|>")}},
            "vision_end_token_id": {{Id("<|vision_eos|>")}},
            "vision_token_id": {{Id("<|vision_pad|>")}},
            "image_token_index": {{Id("<|IMAGE|>")}},
            "video_token_index": {{Id("<|VIDEO|>")}},
            "position_id_per_seconds": 25,
            "seconds_per_chunk": 2,
            "tie_word_embeddings": false,
            "text_config": {
              "vocab_size": {{ByteTokens + SpecialTokens.Length}},
              "hidden_size": 64, "intermediate_size": 128,
              "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2,
              "rms_norm_eps": 1e-6, "max_position_embeddings": 32768,
              "rope_parameters": { "mrope_section": [2, 3, 3], "rope_theta": 1000000.0, "rope_type": "default" },
              "tie_word_embeddings": false
            },
            "vision_config": {
              "depth": 4, "hidden_size": 32, "num_heads": 4, "intermediate_size": 64, "out_hidden_size": 64,
              "patch_size": 14, "temporal_patch_size": 2, "spatial_merge_size": 2, "window_size": 56,
              "fullatt_block_indexes": [1, 3], "in_channels": 3
            },
            "audio_config": {
              "d_model": 32, "encoder_layers": 2, "encoder_attention_heads": 4, "encoder_ffn_dim": 64,
              "num_mel_bins": 128, "max_source_positions": 1500, "n_window": 32, "output_dim": 64
            }
          }
        }
        """;
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
        return Qwen25OmniConfig.Parse(stream, "random model config");
    }

    /// <summary>One token per byte (id = byte value), no merges, then the special tokens.</summary>
    public static Qwen2Tokenizer Tokenizer()
    {
        var added = SpecialTokens.Select(t => new Qwen2TokenizerAddedToken(Id(t), t, Special: true)).ToArray();
        return Qwen2Tokenizer.ByteLevelOnly(added);
    }

    /// <summary>
    /// Builds the random thinker on <paramref name="device"/> (its vision encoder on <paramref name="vision"/>'s when given). The output rows of every token but
    /// printable ASCII are zeroed: random logits of the others are almost surely above zero, so
    /// greedy answers are readable characters and run to the token limit instead of stopping at
    /// a random end token.
    /// </summary>
    public static LoadedThinker Create(ModelDeviceOptions device, int seed, ModelDeviceOptions? vision = null)
    {
        var config = Config();
        Qwen25OmniThinker thinker;
        lock (RandomWeights.Gate)
        {
            torch.random.manual_seed(seed);
            thinker = new Qwen25OmniThinker(config.ThinkerConfig);
        }
        try
        {
            using (no_grad())
            {
                var rows = thinker.lm_head.weight!;
                for (var id = 0; id < config.ThinkerConfig.TextConfig.VocabSize; id++)
                {
                    if (id is < 0x20 or > 0x7e) rows[id].zero_();
                }
            }
            thinker.Place(device, vision);
            thinker.eval();
        }
        catch
        {
            thinker.Dispose();
            throw;
        }
        return new LoadedThinker(thinker, Tokenizer(), LoadedThinker.RandomName, isRandom: true, device.Device);
    }
}
