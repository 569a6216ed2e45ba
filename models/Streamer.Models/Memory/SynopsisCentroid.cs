using Streamer.KvStore;

namespace Streamer.Models.Memory;

/// <summary>
/// One cluster of Flash-VStream's synopsis: the weighted mean of its blocks' pooled features
/// (per layer, pre-rotary mean key and mean value, heads concatenated), their mean rotary
/// position per axis, how many frames it merged, the member block nearest its centre, and the
/// nearest member the store still holds at full detail (if any).
/// </summary>
public sealed class SynopsisCentroid
{
    internal SynopsisCentroid(float[][] keys, float[][] values, double[] position, float[] feature, double weight,
        TimeSpan mediaStart, TimeSpan mediaEnd, KvBlockId representative, float[] representativeFeature,
        KvBlockId? held, float[]? heldFeature)
    {
        Held = held;
        HeldFeature = heldFeature;
        Keys = keys;
        Values = values;
        Position = position;
        Feature = feature;
        Weight = weight;
        MediaStart = mediaStart;
        MediaEnd = mediaEnd;
        Representative = representative;
        RepresentativeFeature = representativeFeature;
    }

    /// <summary>Frames merged into this centroid.</summary>
    public double Weight { get; }

    /// <summary>The member block whose feature is nearest the centre.</summary>
    public KvBlockId Representative { get; }

    /// <summary>
    /// The member nearest the centre among those still stored at full detail; null once every
    /// member the store kept has left it.
    /// </summary>
    public KvBlockId? Held { get; }

    /// <summary>Media time from the earliest member's start to the latest member's end.</summary>
    public TimeSpan MediaStart { get; }

    public TimeSpan MediaEnd { get; }

    /// <summary>Per layer, the weighted mean pre-rotary key [kvHeads * headDim].</summary>
    public float[][] Keys { get; }

    /// <summary>Per layer, the weighted mean value [kvHeads * headDim].</summary>
    public float[][] Values { get; }

    /// <summary>Weighted mean rotary position per axis (time, height, width).</summary>
    public double[] Position { get; }

    /// <summary>What clustering compares: the per-layer unit keys, concatenated, weighted-averaged.</summary>
    internal float[] Feature { get; }

    internal float[] RepresentativeFeature { get; }

    internal float[]? HeldFeature { get; }

    internal SynopsisCentroid WithoutHeld() =>
        new(Keys, Values, Position, Feature, Weight, MediaStart, MediaEnd, Representative, RepresentativeFeature, null, null);
}
