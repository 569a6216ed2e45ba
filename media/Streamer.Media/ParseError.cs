namespace Streamer.Media;

/// <summary>
/// Why a packet or message from the network was rejected. Parsers never throw on network
/// input; they return false with one of these codes, and callers count them per code.
/// </summary>
public enum ParseError
{
    None = 0,
    /// <summary>Fewer bytes than the fixed header or a declared length needs.</summary>
    TooShort,
    /// <summary>A length field disagrees with the bytes present.</summary>
    BadLength,
    /// <summary>Version bits are not the protocol's.</summary>
    BadVersion,
    /// <summary>Padding flag set but the padding count is impossible.</summary>
    BadPadding,
    /// <summary>A type or payload type this parser does not handle.</summary>
    UnknownType,
    /// <summary>A magic cookie or marker value is wrong.</summary>
    BadMagic,
    /// <summary>An attribute, extension or field is malformed.</summary>
    BadAttribute,
    /// <summary>FINGERPRINT or another checksum does not match.</summary>
    BadChecksum,
    /// <summary>An authentication tag (HMAC, GCM tag, MESSAGE-INTEGRITY) does not verify.</summary>
    AuthenticationFailed,
    /// <summary>The packet index was seen already or is too old for the replay window.</summary>
    Replayed,
    /// <summary>No keys or context exist for this stream.</summary>
    UnknownStream,
    /// <summary>Well-formed but uses a feature this implementation does not support.</summary>
    Unsupported,
    /// <summary>Structurally invalid in a way not covered above.</summary>
    Malformed,
}
