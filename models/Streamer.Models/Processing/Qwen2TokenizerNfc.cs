using System.Text;

namespace Streamer.Models.Processing;

/// <summary>
/// Unicode NFC, Qwen2's normalizer, in managed code: the project runs with
/// InvariantGlobalization, where <see cref="string.Normalize()"/> returns its input unchanged,
/// and a decomposed "e" + U+0301 would then get other ids than the reference gives it. The
/// algorithm is UAX #15's: full canonical decomposition (Hangul by arithmetic), canonical
/// ordering of combining marks, then canonical composition of unblocked pairs.
/// </summary>
internal static class Qwen2TokenizerNfc
{
    // Nothing below U+0300 combines, so text made only of such chars is already NFC.
    private const char FirstCombiningChar = '\u0300';

    private const int SBase = 0xAC00;
    private const int LBase = 0x1100;
    private const int VBase = 0x1161;
    private const int TBase = 0x11A7;
    private const int LCount = 19;
    private const int VCount = 21;
    private const int TCount = 28;
    private const int NCount = VCount * TCount;
    private const int SCount = LCount * NCount;

    private const int RangeStride = 3;

    private static readonly Dictionary<long, int> CompositionTable = BuildCompositions();

    public static string Normalize(ReadOnlySpan<char> text)
    {
        if (text.IndexOfAnyInRange(FirstCombiningChar, char.MaxValue) < 0)
        {
            return new string(text);
        }

        var codePoints = new List<int>(text.Length + 8);
        foreach (var rune in text.EnumerateRunes())
        {
            Decompose(rune.Value, codePoints);
        }

        SortCombiningMarks(codePoints);
        Compose(codePoints);

        var builder = new StringBuilder(codePoints.Count + 8);
        foreach (var cp in codePoints)
        {
            builder.Append(new Rune(cp).ToString());
        }

        return builder.ToString();
    }

    internal static int CombiningClass(int codePoint)
    {
        var ranges = Qwen2TokenizerNfcData.CombiningClassRanges;
        int lo = 0, hi = ranges.Length / RangeStride - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var start = ranges[mid * RangeStride];
            if (codePoint < start)
            {
                hi = mid - 1;
            }
            else if (codePoint > ranges[mid * RangeStride + 1])
            {
                lo = mid + 1;
            }
            else
            {
                return ranges[mid * RangeStride + 2];
            }
        }

        return 0;
    }

    private static void Decompose(int cp, List<int> output)
    {
        var s = cp - SBase;
        if ((uint)s < SCount)
        {
            output.Add(LBase + s / NCount);
            output.Add(VBase + s % NCount / TCount);
            if (s % TCount != 0)
            {
                output.Add(TBase + s % TCount);
            }

            return;
        }

        var table = Qwen2TokenizerNfcData.Decompositions;
        int lo = 0, hi = table.Length / RangeStride - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var key = table[mid * RangeStride];
            if (cp < key)
            {
                hi = mid - 1;
            }
            else if (cp > key)
            {
                lo = mid + 1;
            }
            else
            {
                Decompose(table[mid * RangeStride + 1], output);
                var second = table[mid * RangeStride + 2];
                if (second != 0)
                {
                    Decompose(second, output);
                }

                return;
            }
        }

        output.Add(cp);
    }

    // Stable insertion sort of each run of non-starters by combining class.
    private static void SortCombiningMarks(List<int> cps)
    {
        for (var i = 1; i < cps.Count; i++)
        {
            var ccc = CombiningClass(cps[i]);
            if (ccc == 0)
            {
                continue;
            }

            var j = i;
            var cp = cps[i];
            while (j > 0 && CombiningClass(cps[j - 1]) > ccc)
            {
                cps[j] = cps[j - 1];
                j--;
            }

            cps[j] = cp;
        }
    }

    private static void Compose(List<int> cps)
    {
        var starter = -1;
        var lastClass = 0;
        var written = 0;
        for (var i = 0; i < cps.Count; i++)
        {
            var cp = cps[i];
            var ccc = CombiningClass(cp);

            // A mark is blocked from the starter by an earlier mark of the same or higher class.
            var adjacent = starter == written - 1;
            if (starter >= 0 && (adjacent || (lastClass != 0 && lastClass < ccc)) &&
                TryCompose(cps[starter], cp, out var composite))
            {
                cps[starter] = composite;
                continue;
            }

            if (ccc == 0)
            {
                starter = written;
            }

            lastClass = ccc;
            cps[written++] = cp;
        }

        cps.RemoveRange(written, cps.Count - written);
    }

    private static bool TryCompose(int first, int second, out int composite)
    {
        var l = first - LBase;
        var v = second - VBase;
        if ((uint)l < LCount && (uint)v < VCount)
        {
            composite = SBase + (l * VCount + v) * TCount;
            return true;
        }

        var s = first - SBase;
        var t = second - TBase;
        if ((uint)s < SCount && s % TCount == 0 && t > 0 && t < TCount)
        {
            composite = first + t;
            return true;
        }

        return CompositionTable.TryGetValue(Key(first, second), out composite);
    }

    private static long Key(int first, int second) => ((long)first << 21) | (uint)second;

    private static Dictionary<long, int> BuildCompositions()
    {
        var table = Qwen2TokenizerNfcData.Compositions;
        var map = new Dictionary<long, int>(table.Length / RangeStride);
        for (var i = 0; i < table.Length; i += RangeStride)
        {
            map[Key(table[i], table[i + 1])] = table[i + 2];
        }

        return map;
    }
}
