namespace Streamer.KvStore;

/// <summary>A block chosen by retrieval, with its cosine similarity to the query.</summary>
public readonly record struct KvBlockMatch(KvBlockId Id, float Score, TimeSpan MediaStart, TimeSpan MediaEnd);
