namespace Streamer.Media.Codecs;

/// <summary>
/// H.265 NAL unit types (ITU-T H.265 table 7-1) and RTP packet types (RFC 7798 section 4.4).
/// <code>
/// +---------------+---------------+
/// |0|1|2|3|4|5|6|7|0|1|2|3|4|5|6|7|
/// +-+-------------+-----------+-----+
/// |F|   Type    |  LayerId  | TID |
/// +-------------+-----------------+
/// </code>
/// </summary>
public static class H265NalUnitType
{
    public const int BlaWLp = 16;
    public const int CraNut = 21;
    public const int MaxVcl = 31;
    public const int Vps = 32;
    public const int Sps = 33;
    public const int Pps = 34;
    public const int AccessUnitDelimiter = 35;
    public const int PrefixSei = 39;
    public const int AggregationPacket = 48;
    public const int FragmentationUnit = 49;
    public const int Paci = 50;

    public const int HeaderSize = 2;

    /// <summary>Bits of the first header byte kept when a fragmented NAL unit is rebuilt: F and the LayerId high bit.</summary>
    public const byte ForbiddenAndLayerMask = 0x81;

    public static int Of(byte firstHeaderByte) => (firstHeaderByte >> 1) & 0x3F;

    public static bool IsVcl(int type) => type <= MaxVcl;

    /// <summary>Intra random access point pictures (BLA, IDR, CRA): decodable without earlier pictures.</summary>
    public static bool IsIrap(int type) => type is >= BlaWLp and <= CraNut;

    /// <summary>first_slice_segment_in_pic_flag: the first bit after the two-byte NAL header.</summary>
    public static bool IsFirstSliceOfPicture(byte firstPayloadByte) => (firstPayloadByte & 0x80) != 0;
}
