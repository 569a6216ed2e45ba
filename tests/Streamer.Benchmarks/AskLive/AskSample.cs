namespace Streamer.Benchmarks.AskLive;

/// <summary>
/// One answered question. <see cref="FirstTokenMs"/> is what the asker saw: through the hub from
/// invoking Ask to the first text chunk; directly, from retrieval's start to the first token.
/// The server's own figures (queue wait, leaving the queue to the first token) come from the
/// final chunk's metadata and are zero for the direct baseline.
/// </summary>
public sealed record AskSample(double FirstTokenMs, double ServerQueueMs, double ServerFirstTokenMs, int Tokens, double DecodeMs)
{
    /// <summary>Tokens after the first over the time from the first to the last: the streaming rate one asker sees.</summary>
    public double TokensPerSecond => Tokens > 1 && DecodeMs > 0 ? (Tokens - 1) / (DecodeMs / 1000) : double.NaN;
}
