namespace Streamer.Benchmarks.GlassToGlass;

/// <summary>
/// The frame counter the benchmark page paints and the server reads back: <see cref="Bits"/>
/// black/white blocks in the top row (most significant bit first, white is one) and their
/// complement in the row below as a guard. A frame whose guard does not match, or whose block
/// is too grey to call, is rejected rather than misread.
/// <code>
///  x:  0    40   80        600  640
///     +----+----+-- ... --+----+   y = 0
///     | b15| b14|         | b0 |   data row
///     +----+----+-- ... --+----+   y = 40
///     |!b15|!b14|         |!b0 |   guard row
///     +----+----+-- ... --+----+   y = 80
///     grey background, a moving bar below
/// </code>
/// Coordinates scale with the decoded size, so a frame the sender scaled down still reads.
/// </summary>
public static class FrameCounterPattern
{
    public const int CanvasWidth = 640;
    public const int CanvasHeight = 480;
    public const int Bits = 16;
    public const int BlockSize = CanvasWidth / Bits;
    public const int DataRow = 0;
    public const int GuardRow = 1;
    public const int Modulus = 1 << Bits;

    /// <summary>A block mean this close to mid-grey is neither black nor white: the frame is rejected.</summary>
    public const int Margin = 32;

    private const int Threshold = 128;

    /// <summary>Reads the counter from an 8-bit luma plane of <paramref name="width"/> x <paramref name="height"/> (stride = width).</summary>
    public static bool TryRead(ReadOnlySpan<byte> luma, int width, int height, out int counter)
    {
        counter = 0;
        if (width < Bits || height < 2 * Bits * CanvasHeight / CanvasWidth || luma.Length < width * height)
        {
            return false;
        }

        for (var bit = 0; bit < Bits; bit++)
        {
            var data = BlockMean(luma, width, height, bit, DataRow);
            var guard = BlockMean(luma, width, height, bit, GuardRow);
            if (Math.Abs(data - Threshold) < Margin || Math.Abs(guard - Threshold) < Margin)
            {
                return false;
            }

            var one = data > Threshold;
            if (one == guard > Threshold)
            {
                return false;
            }
            counter = (counter << 1) | (one ? 1 : 0);
        }
        return true;
    }

    /// <summary>Mean of a small square at the centre of a block: the centre survives scaling and coding blur at the edges.</summary>
    private static int BlockMean(ReadOnlySpan<byte> luma, int width, int height, int column, int row)
    {
        var blockWidth = (double)width * BlockSize / CanvasWidth;
        var blockHeight = (double)height * BlockSize / CanvasHeight;
        var centreX = (int)((column + 0.5) * blockWidth);
        var centreY = (int)((row + 0.5) * blockHeight);
        var radius = Math.Max(0, (int)(Math.Min(blockWidth, blockHeight) / 8));
        var sum = 0;
        var count = 0;
        for (var y = centreY - radius; y <= centreY + radius; y++)
        {
            for (var x = centreX - radius; x <= centreX + radius; x++)
            {
                sum += luma[(y * width) + x];
                count++;
            }
        }
        return sum / count;
    }

    /// <summary>The layout as the page script takes it.</summary>
    public static object ForScript(int fps) => new
    {
        width = CanvasWidth,
        height = CanvasHeight,
        bits = Bits,
        block = BlockSize,
        margin = Margin,
        fps,
    };
}
