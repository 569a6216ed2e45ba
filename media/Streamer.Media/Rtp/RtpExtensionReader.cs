namespace Streamer.Media.Rtp;

/// <summary>
/// Walks the elements of an RFC 8285 header extension block. One-byte elements
/// (profile 0xBEDE) carry a 4-bit id and length-1; two-byte elements (profile 0x100X)
/// carry an 8-bit id and an 8-bit length. Zero bytes between elements are padding.
/// </summary>
public static class RtpExtensionReader
{
    public const ushort OneByteProfile = 0xBEDE;
    public const ushort TwoByteProfile = 0x1000;
    private const ushort TwoByteProfileMask = 0xFFF0;
    // RFC 8285 4.2: id 15 is reserved; a parser stops at it rather than guessing a length.
    private const int OneByteReservedId = 15;

    public static bool IsOneByte(ushort profile) => profile == OneByteProfile;

    public static bool IsTwoByte(ushort profile) => (profile & TwoByteProfileMask) == TwoByteProfile;

    /// <summary>False when an element runs past the block. Unknown profiles are opaque and valid.</summary>
    public static bool Validate(ushort profile, ReadOnlySpan<byte> block)
    {
        var e = new Enumerator(profile, block);
        while (e.MoveNext())
        {
        }
        return !e.Malformed;
    }

    public static bool TryFind(ushort profile, ReadOnlySpan<byte> block, int id, out ReadOnlySpan<byte> value)
    {
        var e = new Enumerator(profile, block);
        while (e.MoveNext())
        {
            if (e.CurrentId == id)
            {
                value = e.CurrentValue;
                return true;
            }
        }
        value = default;
        return false;
    }

    /// <summary>Allocation-free walk over the elements of one extension block.</summary>
    public ref struct Enumerator
    {
        private readonly ReadOnlySpan<byte> block;
        private readonly bool oneByte;
        private readonly bool known;
        private int position;

        public Enumerator(ushort profile, ReadOnlySpan<byte> block)
        {
            this.block = block;
            oneByte = IsOneByte(profile);
            known = oneByte || IsTwoByte(profile);
            position = 0;
            CurrentId = 0;
            CurrentValue = default;
            CurrentOffset = 0;
            Malformed = false;
        }

        public int CurrentId { get; private set; }
        public ReadOnlySpan<byte> CurrentValue { get; private set; }
        /// <summary>Offset of <see cref="CurrentValue"/> within the block.</summary>
        public int CurrentOffset { get; private set; }
        public bool Malformed { get; private set; }

        public bool MoveNext()
        {
            if (!known)
            {
                return false;
            }
            while (position < block.Length && block[position] == 0)
            {
                position++;
            }
            if (position >= block.Length)
            {
                return false;
            }
            int id;
            int length;
            if (oneByte)
            {
                id = block[position] >> 4;
                length = (block[position] & 0x0F) + 1;
                if (id == OneByteReservedId)
                {
                    return false;
                }
                position++;
            }
            else
            {
                if (position + 2 > block.Length)
                {
                    Malformed = true;
                    return false;
                }
                id = block[position];
                length = block[position + 1];
                position += 2;
            }
            if (position + length > block.Length)
            {
                Malformed = true;
                return false;
            }
            CurrentId = id;
            CurrentValue = block.Slice(position, length);
            CurrentOffset = position;
            position += length;
            return true;
        }
    }
}
