namespace Streamer.Media.Codecs;

/// <summary>H.264 NAL unit types (ITU-T H.264 table 7-1) and RTP packet types (RFC 6184 table 1).</summary>
public static class H264NalUnitType
{
    public const int Slice = 1;
    public const int Idr = 5;
    public const int Sei = 6;
    public const int Sps = 7;
    public const int Pps = 8;
    public const int AccessUnitDelimiter = 9;
    public const int StapA = 24;
    public const int StapB = 25;
    public const int Mtap16 = 26;
    public const int Mtap24 = 27;
    public const int FuA = 28;
    public const int FuB = 29;

    public const byte TypeMask = 0x1F;
    public const byte ForbiddenAndNriMask = 0xE0;

    public static int Of(byte header) => header & TypeMask;

    public static bool IsSlice(int type) => type is Slice or Idr;

    /// <summary>
    /// True when a slice's first_mb_in_slice is 0, i.e. it is the first slice of a picture:
    /// the Exp-Golomb code of 0 is the single bit 1 right after the NAL header.
    /// </summary>
    public static bool IsFirstSliceOfPicture(byte firstSliceHeaderByte) => (firstSliceHeaderByte & 0x80) != 0;
}
