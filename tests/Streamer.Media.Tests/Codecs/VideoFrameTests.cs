using Streamer.Media.Codecs;

namespace Streamer.Media.Tests.Codecs;

public sealed class VideoFrameTests
{
    [Theory]
    [InlineData(16, 128, 128, 0, 0, 0)]        // black
    [InlineData(235, 128, 128, 255, 255, 255)] // white
    [InlineData(81, 90, 240, 255, 0, 0)]       // red
    [InlineData(145, 54, 34, 0, 255, 0)]       // green
    [InlineData(41, 240, 110, 0, 0, 255)]      // blue
    public void ToRgb24_converts_bt601_limited_range_colours(byte y, byte u, byte v, int r, int g, int b)
    {
        using var frame = VideoFrame.Allocate(4, 2);
        frame.Y.Fill(y);
        frame.U.Fill(u);
        frame.V.Fill(v);
        var rgb = frame.ConvertToRgb24();
        Assert.Equal(4 * 2 * 3, rgb.Length);
        Assert.InRange(rgb[0], r - 3, r + 3);
        Assert.InRange(rgb[1], g - 3, g + 3);
        Assert.InRange(rgb[2], b - 3, b + 3);
    }

    [Fact]
    public void Planes_have_i420_layout_for_odd_sizes()
    {
        using var frame = VideoFrame.Allocate(5, 3);
        Assert.Equal(15, frame.Y.Length);
        Assert.Equal(3 * 2, frame.U.Length);
        Assert.Equal(3 * 2, frame.V.Length);
        Assert.Equal(27, frame.Length);
    }

    [Fact]
    public void Psnr_is_infinite_for_equal_planes_and_48_dB_for_unit_error()
    {
        var a = new byte[100];
        var b = new byte[100];
        Array.Fill(b, (byte)1);
        Assert.Equal(double.PositiveInfinity, VideoFrame.Psnr(a, a));
        Assert.Equal(48.13, VideoFrame.Psnr(a, b), 2);
    }
}
