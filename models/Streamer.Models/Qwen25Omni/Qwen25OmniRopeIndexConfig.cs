namespace Streamer.Models.Qwen25Omni;

/// <summary>
/// What <see cref="Qwen25OmniRopeIndex"/> needs from a config: the placeholder and start ids, the
/// vision merge size and the time scale. The thinker and the talker each carry their own copy.
/// </summary>
public sealed record Qwen25OmniRopeIndexConfig(
    long ImageTokenId,
    long VideoTokenId,
    long AudioTokenId,
    long VisionStartTokenId,
    long AudioStartTokenId,
    int SpatialMergeSize,
    double PositionIdPerSeconds,
    double SecondsPerChunk)
{
    public static Qwen25OmniRopeIndexConfig From(Qwen25OmniThinkerConfig config) => new(
        config.ImageTokenIndex, config.VideoTokenIndex, config.AudioTokenIndex,
        config.VisionStartTokenId, config.AudioStartTokenId,
        config.VisionConfig.SpatialMergeSize, config.PositionIdPerSeconds, config.SecondsPerChunk);
}
