using Streamer.KvStore;

namespace Streamer.Models.Memory;

/// <summary>
/// Flash-VStream's clustered synopsis: at most a fixed number of weighted centroids, however
/// many blocks arrive. Each new block joins the centroids as a point of weight "frames it
/// holds"; when that makes one too many, weighted k-means over the points (centres seeded
/// farthest-first from the heaviest, then Lloyd iterations with weighted means) folds them back
/// to the limit. Farthest-first seeding keeps a block unlike everything else as its own centroid
/// rather than averaging it away, and the weights make long-lasting scenes the large clusters.
/// Not thread-safe; the policy calls it under the memory's lock.
/// </summary>
internal sealed class FlashVStreamSynopsis(int centroids, int maxIterations)
{
    private List<SynopsisCentroid> _centroids = [];

    public IReadOnlyList<SynopsisCentroid> Centroids => _centroids;

    /// <summary>Adds a block's pooled keys and values (per layer), mean positions and frame count.</summary>
    public void Add(KvBlockId id, float[][] keys, float[][] values, double[] position, double weight, TimeSpan start, TimeSpan end)
    {
        var feature = Feature(keys);
        var points = new List<SynopsisCentroid>(_centroids)
        {
            new(keys, values, position, feature, weight, start, end, id, feature, id, feature),
        };
        _centroids = points.Count <= centroids ? points : Cluster(points);
    }

    /// <summary>
    /// The full-detail blocks to keep: the held member of each of the <paramref name="count"/>
    /// heaviest centroids that still hold one (earlier first on ties).
    /// </summary>
    public IReadOnlyList<KvBlockId> Details(int count) =>
        [.. DetailCentroids(count).Select(c => c.Held!.Value)];

    public IEnumerable<SynopsisCentroid> DetailCentroids(int count) =>
        _centroids.Where(c => c.Held is not null).OrderByDescending(c => c.Weight).ThenBy(c => c.MediaStart).Take(count);

    /// <summary>The store no longer holds <paramref name="id"/>: no centroid may offer it as a detail block.</summary>
    public void Forget(KvBlockId id)
    {
        for (var i = 0; i < _centroids.Count; i++)
        {
            if (_centroids[i].Held == id)
            {
                _centroids[i] = _centroids[i].WithoutHeld();
            }
        }
    }

    private List<SynopsisCentroid> Cluster(List<SynopsisCentroid> points)
    {
        var centres = Seed(points);
        var assignment = new int[points.Count];
        Array.Fill(assignment, -1);
        var merged = new List<SynopsisCentroid>();
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            var next = points.Select(p => Nearest(p.Feature, centres)).ToArray();
            var stable = next.AsSpan().SequenceEqual(assignment);
            // Centres no point chose are dropped, and the rest renumbered in order.
            var used = next.Distinct().Order().ToList();
            merged = used.Select(c => Merge(points.Where((_, p) => next[p] == c).ToList())).ToList();
            assignment = next.Select(c => used.IndexOf(c)).ToArray();
            if (stable)
            {
                break;
            }
            centres = merged.Select(m => m.Feature).ToList();
        }
        return merged;
    }

    private List<float[]> Seed(List<SynopsisCentroid> points)
    {
        var first = points.Select((p, i) => (p, i)).OrderByDescending(x => x.p.Weight).ThenBy(x => x.i).First().i;
        var chosen = new List<int> { first };
        var distance = points.Select(p => Distance(p.Feature, points[first].Feature)).ToArray();
        while (chosen.Count < centroids)
        {
            var next = -1;
            for (var i = 0; i < points.Count; i++)
            {
                if (!chosen.Contains(i) && (next < 0 || distance[i] > distance[next]))
                {
                    next = i;
                }
            }
            chosen.Add(next);
            for (var i = 0; i < points.Count; i++)
            {
                distance[i] = Math.Min(distance[i], Distance(points[i].Feature, points[next].Feature));
            }
        }
        return chosen.Select(i => points[i].Feature).ToList();
    }

    private static SynopsisCentroid Merge(List<SynopsisCentroid> members)
    {
        if (members.Count == 1)
        {
            return members[0];
        }
        var total = members.Sum(m => m.Weight);
        var keys = MeanLayers(members, m => m.Keys, total);
        var values = MeanLayers(members, m => m.Values, total);
        var feature = Mean(members.Select(m => (m.Feature, m.Weight)), total);
        var position = new double[3];
        for (var axis = 0; axis < 3; axis++)
        {
            position[axis] = members.Sum(m => m.Weight * m.Position[axis]) / total;
        }
        var representative = members.OrderBy(m => Distance(m.RepresentativeFeature, feature)).First();
        var held = members.Where(m => m.Held is not null).OrderBy(m => Distance(m.HeldFeature!, feature)).FirstOrDefault();
        return new SynopsisCentroid(keys, values, position, feature, total,
            members.Min(m => m.MediaStart), members.Max(m => m.MediaEnd), representative.Representative, representative.RepresentativeFeature,
            held?.Held, held?.HeldFeature);
    }

    private static float[][] MeanLayers(List<SynopsisCentroid> members, Func<SynopsisCentroid, float[][]> select, double total)
    {
        var layers = select(members[0]).Length;
        return Enumerable.Range(0, layers).Select(l => Mean(members.Select(m => (select(m)[l], m.Weight)), total)).ToArray();
    }

    private static float[] Mean(IEnumerable<(float[] Vector, double Weight)> weighted, double total)
    {
        float[]? sum = null;
        foreach (var (vector, weight) in weighted)
        {
            sum ??= new float[vector.Length];
            for (var i = 0; i < vector.Length; i++)
            {
                sum[i] += (float)(weight / total) * vector[i];
            }
        }
        return sum!;
    }

    private static int Nearest(float[] feature, List<float[]> centres)
    {
        var best = 0;
        var bestDistance = double.MaxValue;
        for (var c = 0; c < centres.Count; c++)
        {
            var d = Distance(feature, centres[c]);
            if (d < bestDistance)
            {
                (best, bestDistance) = (c, d);
            }
        }
        return best;
    }

    private static double Distance(float[] a, float[] b)
    {
        var diff = new float[a.Length];
        for (var i = 0; i < a.Length; i++)
        {
            diff[i] = a[i] - b[i];
        }
        return VectorMath.Dot(diff, diff);
    }

    // Each layer's key scaled to unit length, so every layer counts the same and distance is 2 - 2 cos per layer.
    private static float[] Feature(float[][] keys)
    {
        var dim = keys[0].Length;
        var feature = new float[keys.Length * dim];
        for (var l = 0; l < keys.Length; l++)
        {
            var norm = VectorMath.Norm(keys[l]);
            for (var i = 0; i < dim; i++)
            {
                feature[l * dim + i] = norm > 0 ? keys[l][i] / norm : 0;
            }
        }
        return feature;
    }
}
