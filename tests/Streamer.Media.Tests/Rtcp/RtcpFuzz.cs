namespace Streamer.Media.Tests.Rtcp;

/// <summary>Random RTCP-looking input for never-throw tests: valid version and a plausible length most of the time.</summary>
internal static class RtcpFuzz
{
    public delegate bool Parser(ReadOnlySpan<byte> data);

    public static void NeverThrows(Parser parse, byte packetType, int format, int seed)
    {
        var random = new Random(seed);
        var buffer = new byte[96];
        for (int i = 0; i < 3000; i++)
        {
            random.NextBytes(buffer);
            int length = random.Next(buffer.Length + 1);
            if (length >= 4 && (i % 4) != 0)
            {
                buffer[0] = (byte)(0x80 | (buffer[0] & 0x20) | ((i % 3) == 0 ? buffer[0] & 0x1F : format));
                buffer[1] = packetType;
                int words = (i % 5) == 0 ? buffer[3] : (length / 4) - 1;
                buffer[2] = 0;
                buffer[3] = (byte)Math.Max(0, words);
            }
            parse(buffer.AsSpan(0, length));
        }
    }
}
