namespace Streamer.Models.Memory;

/// <summary>How LiveVLM decides which of a block's tokens matter.</summary>
public enum LiveVlmTokenScoring
{
    /// <summary>Attention a token receives from the block's vision tokens (pre-rotary, summed over heads, queries and layers).</summary>
    Attention,

    /// <summary>How unlike the same token of the previous block its pre-rotary key is (1 - cosine); repeats score low.</summary>
    Redundancy,
}
