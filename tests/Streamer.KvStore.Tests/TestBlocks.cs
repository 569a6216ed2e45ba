namespace Streamer.KvStore.Tests;

/// <summary>Deterministic blocks for tests: payload and keys come from a seed.</summary>
internal static class TestBlocks
{
    public const string Session = "cam-1";

    public static KvBlock Create(long sequence, int payloadBytes = 1000, string session = Session, int layers = 2, int dim = 8)
    {
        var random = new Random((int)sequence * 7919 + payloadBytes);
        var payload = new byte[payloadBytes];
        random.NextBytes(payload);
        var keys = new float[layers][];
        for (int layer = 0; layer < layers; layer++)
        {
            keys[layer] = RandomVector(random, dim);
        }
        return Create(sequence, payload, keys, session);
    }

    public static KvBlock Create(long sequence, byte[] payload, float[][] keys, string session = Session)
    {
        const int tokens = 4;
        int layers = keys.Length;
        int[][] shapes = Enumerable.Range(0, layers).Select(_ => new[] { 2, 1, tokens, 64 }).ToArray();
        int[] positions = Enumerable.Range(0, 3 * tokens).Select(i => (int)sequence * tokens + i % tokens).ToArray();
        var metadata = new KvBlockMetadata(
            new KvBlockId(session, sequence),
            TimeSpan.FromMilliseconds(500 * sequence),
            TimeSpan.FromMilliseconds(500 * (sequence + 1)),
            tokens,
            "bfloat16",
            shapes,
            3,
            positions,
            keys);
        return new KvBlock(metadata, payload);
    }

    public static float[] RandomVector(Random random, int dim)
    {
        var vector = new float[dim];
        for (int i = 0; i < dim; i++)
        {
            vector[i] = (float)(random.NextDouble() * 2 - 1);
        }
        return vector;
    }

    public static KvBlockId Id(long sequence, string session = Session) => new(session, sequence);

    public static void AssertSameBlock(KvBlock expected, KvBlock? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Payload.ToArray(), actual.Payload.ToArray());
        KvBlockMetadata e = expected.Metadata;
        KvBlockMetadata a = actual.Metadata;
        Assert.Equal(e.MediaStart, a.MediaStart);
        Assert.Equal(e.MediaEnd, a.MediaEnd);
        Assert.Equal(e.TokenCount, a.TokenCount);
        Assert.Equal(e.DType, a.DType);
        Assert.Equal(e.LayerShapes, a.LayerShapes);
        Assert.Equal(e.RotaryRows, a.RotaryRows);
        Assert.Equal(e.RotaryPositions, a.RotaryPositions);
        Assert.Equal(e.RetrievalKeys, a.RetrievalKeys);
    }
}
