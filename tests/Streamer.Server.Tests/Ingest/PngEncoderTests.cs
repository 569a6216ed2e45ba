using System.Diagnostics;
using Streamer.Server.Ingest;

namespace Streamer.Server.Tests.Ingest;

public sealed class PngEncoderTests
{
    [Fact]
    public void Png_decodes_back_to_the_same_pixels_with_ffmpeg()
    {
        const int width = 7, height = 5;
        var rgb = new byte[width * height * 3];
        for (var i = 0; i < rgb.Length; i++) rgb[i] = (byte)(i * 37 % 251);
        var folder = Directory.CreateTempSubdirectory("streamer-png-").FullName;
        try
        {
            var png = Path.Combine(folder, "frame.png");
            var raw = Path.Combine(folder, "frame.rgb");
            File.WriteAllBytes(png, PngEncoder.EncodeRgb24(rgb, width, height));

            var ffmpeg = Process.Start(new ProcessStartInfo("ffmpeg")
            {
                ArgumentList = { "-hide_banner", "-loglevel", "error", "-i", png, "-f", "rawvideo", "-pix_fmt", "rgb24", "-y", raw },
                RedirectStandardError = true,
            })!;
            var error = ffmpeg.StandardError.ReadToEnd();
            ffmpeg.WaitForExit();

            Assert.True(ffmpeg.ExitCode == 0, error);
            Assert.Equal(rgb, File.ReadAllBytes(raw));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Too_few_pixels_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => PngEncoder.EncodeRgb24(new byte[10], 4, 4));
    }
}
