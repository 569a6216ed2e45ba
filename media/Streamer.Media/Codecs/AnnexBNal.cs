namespace Streamer.Media.Codecs;

/// <summary>
/// What the H.264 and H.265 depacketizers share: Annex-B output and the parameter sets
/// they remember to put in front of a keyframe that arrives without them.
/// </summary>
internal static class AnnexBNal
{
    public static ReadOnlySpan<byte> StartCode => [0, 0, 0, 1];

    public static void Write(PooledByteWriter output, ReadOnlySpan<byte> nal)
    {
        output.Write(StartCode);
        output.Write(nal);
    }

    /// <summary>Keeps <paramref name="nal"/> in <paramref name="stored"/>, copying only when it changed.</summary>
    public static void Remember(ref byte[]? stored, ReadOnlySpan<byte> nal)
    {
        if (stored is null || !nal.SequenceEqual(stored))
        {
            stored = nal.ToArray();
        }
    }
}
