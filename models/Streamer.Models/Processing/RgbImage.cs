namespace Streamer.Models.Processing;

/// <summary>
/// One RGB24 picture: <paramref name="Pixels"/> holds Height x Width x 3 bytes, rows top to
/// bottom, as the video decoder's ConvertToRgb24 writes them.
/// </summary>
public sealed record RgbImage(byte[] Pixels, int Width, int Height)
{
    public void Validate()
    {
        if (Width <= 0 || Height <= 0 || Pixels.Length != checked(Width * Height * 3))
        {
            throw new ArgumentException($"an RGB24 image of {Width}x{Height} needs {Width * Height * 3} bytes, got {Pixels.Length}");
        }
    }
}
