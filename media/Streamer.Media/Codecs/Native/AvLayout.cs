namespace Streamer.Media.Codecs.Native;

/// <summary>
/// Field offsets in AVFrame and AVPacket on x86-64, identical from FFmpeg 5.x to 7.x.
/// Codec context fields are set through av_opt_set instead, which has no layout to trust.
/// </summary>
internal static unsafe class AvLayout
{
    private const int FrameData = 0;
    private const int FrameLinesize = 64;
    private const int FrameWidth = 104;
    private const int FrameHeight = 108;
    private const int FrameFormat = 116;
    private const int FramePictureType = 124;
    private const int FramePts = 136;
    private const int PacketPts = 8;
    private const int PacketData = 24;
    private const int PacketSize = 32;
    private const int PacketFlags = 40;
    private const int PacketFlagKey = 1;

    public static byte* FramePlane(nint frame, int plane) => ((byte**)(frame + FrameData))[plane];

    public static int FrameStride(nint frame, int plane) => ((int*)(frame + FrameLinesize))[plane];

    public static int FrameWidthOf(nint frame) => *(int*)(frame + FrameWidth);

    public static int FrameHeightOf(nint frame) => *(int*)(frame + FrameHeight);

    public static int FrameFormatOf(nint frame) => *(int*)(frame + FrameFormat);

    public static long FramePtsOf(nint frame) => *(long*)(frame + FramePts);

    public static void SetFrameGeometry(nint frame, int width, int height, int format)
    {
        *(int*)(frame + FrameWidth) = width;
        *(int*)(frame + FrameHeight) = height;
        *(int*)(frame + FrameFormat) = format;
    }

    public static void SetFramePts(nint frame, long pts) => *(long*)(frame + FramePts) = pts;

    public static void SetFramePictureType(nint frame, int pictureType) => *(int*)(frame + FramePictureType) = pictureType;

    public static byte* PacketDataOf(nint packet) => *(byte**)(packet + PacketData);

    public static int PacketSizeOf(nint packet) => *(int*)(packet + PacketSize);

    public static long PacketPtsOf(nint packet) => *(long*)(packet + PacketPts);

    public static void SetPacketPts(nint packet, long pts) => *(long*)(packet + PacketPts) = pts;

    public static bool PacketIsKey(nint packet) => (*(int*)(packet + PacketFlags) & PacketFlagKey) != 0;
}
