namespace Streamer.Models.Processing;

/// <summary>
/// The GPT-2 byte-level alphabet used by Qwen2's BPE: every byte maps to one printable
/// character so that vocabulary entries are plain strings (a space byte is 'Ġ', a newline 'Ċ').
/// Printable Latin-1 bytes map to themselves; the other 68 bytes map to U+0100 onwards in
/// byte order, exactly as <c>bytes_to_unicode()</c> in the reference tokenizers.
/// </summary>
internal static class Qwen2TokenizerByteLevel
{
    private const int FirstShiftedChar = 0x100;

    private static readonly char[] ByteToCharTable = BuildByteToChar();
    private static readonly Dictionary<char, byte> CharToByteTable = BuildCharToByte(ByteToCharTable);

    public static char ByteToChar(byte value) => ByteToCharTable[value];

    public static bool TryCharToByte(char value, out byte result) => CharToByteTable.TryGetValue(value, out result);

    /// <summary>
    /// Appends the bytes a vocabulary token stands for. Returns false when the token holds a
    /// character outside the byte-level alphabet (only added tokens can).
    /// </summary>
    public static bool TryAppendBytes(string token, List<byte> destination)
    {
        var start = destination.Count;
        foreach (var c in token)
        {
            if (!CharToByteTable.TryGetValue(c, out var b))
            {
                destination.RemoveRange(start, destination.Count - start);
                return false;
            }

            destination.Add(b);
        }

        return true;
    }

    private static bool IsPrintedAsItself(int b) =>
        b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;

    private static char[] BuildByteToChar()
    {
        var table = new char[256];
        var next = FirstShiftedChar;
        for (var b = 0; b < 256; b++)
        {
            table[b] = IsPrintedAsItself(b) ? (char)b : (char)next++;
        }

        return table;
    }

    private static Dictionary<char, byte> BuildCharToByte(char[] byteToChar)
    {
        var map = new Dictionary<char, byte>(256);
        for (var b = 0; b < 256; b++)
        {
            map[byteToChar[b]] = (byte)b;
        }

        return map;
    }
}
