using System.Numerics;
using System.Runtime.InteropServices;

namespace Streamer.KvStore;

/// <summary>SIMD dot products and norms over float spans (Vector&lt;float&gt; wide).</summary>
public static class VectorMath
{
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException("Vectors differ in length.", nameof(b));
        }
        ref float ra = ref MemoryMarshal.GetReference(a);
        ref float rb = ref MemoryMarshal.GetReference(b);
        int width = Vector<float>.Count;
        int i = 0;
        var acc0 = Vector<float>.Zero;
        var acc1 = Vector<float>.Zero;
        // Two accumulators hide the latency of the fused adds.
        for (; i <= a.Length - 2 * width; i += 2 * width)
        {
            acc0 += Vector.LoadUnsafe(ref ra, (nuint)i) * Vector.LoadUnsafe(ref rb, (nuint)i);
            acc1 += Vector.LoadUnsafe(ref ra, (nuint)(i + width)) * Vector.LoadUnsafe(ref rb, (nuint)(i + width));
        }
        for (; i <= a.Length - width; i += width)
        {
            acc0 += Vector.LoadUnsafe(ref ra, (nuint)i) * Vector.LoadUnsafe(ref rb, (nuint)i);
        }
        float sum = Vector.Sum(acc0 + acc1);
        for (; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }
        return sum;
    }

    public static float Norm(ReadOnlySpan<float> a) => MathF.Sqrt(Dot(a, a));

    /// <summary>Cosine similarity; zero when either vector is zero.</summary>
    public static float Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        float denominator = Norm(a) * Norm(b);
        return denominator > 0 ? Dot(a, b) / denominator : 0f;
    }
}
