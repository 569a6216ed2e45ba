namespace Streamer.KvStore;

/// <summary>Why encoded block bytes were rejected. Decoding never throws on bad bytes.</summary>
public enum KvBlockCodecError
{
    None = 0,
    /// <summary>Fewer bytes than the header or a declared length needs.</summary>
    TooShort,
    /// <summary>The record does not start with the block magic.</summary>
    BadMagic,
    /// <summary>A format version this build cannot read.</summary>
    UnsupportedVersion,
    /// <summary>The header's lengths disagree with each other or with the bytes present.</summary>
    BadLength,
    /// <summary>The header or record CRC-32C does not match: the bytes were damaged.</summary>
    BadChecksum,
    /// <summary>The checksum matched but the metadata is not a valid block description.</summary>
    BadMetadata,
}
