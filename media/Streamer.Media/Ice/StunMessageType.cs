namespace Streamer.Media.Ice;

/// <summary>
/// A STUN message type: a 12-bit method interleaved with the 2-bit class.
/// <code>
///  0                 1
///  2  3  4 5 6 7 8 9 0 1 2 3 4 5
/// +--+--+-+-+-+-+-+-+-+-+-+-+-+-+
/// |M |M |M|M|M|C|M|M|M|C|M|M|M|M|
/// |11|10|9|8|7|1|6|5|4|0|3|2|1|0|
/// +--+--+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public readonly record struct StunMessageType(StunClass Class, ushort Method)
{
    public const ushort BindingMethod = 0x001;

    public static StunMessageType BindingRequest => new(StunClass.Request, BindingMethod);
    public static StunMessageType BindingSuccess => new(StunClass.SuccessResponse, BindingMethod);
    public static StunMessageType BindingError => new(StunClass.ErrorResponse, BindingMethod);

    /// <summary>The 14-bit wire value (the top two bits of the first byte are always zero).</summary>
    public ushort Value
    {
        get
        {
            int c = (int)Class;
            int m = Method & 0x0FFF;
            int value = (m & 0x000F) | ((c & 0x1) << 4) | ((m & 0x0070) << 1) | ((c & 0x2) << 7) | ((m & 0x0F80) << 2);
            return (ushort)value;
        }
    }

    public static StunMessageType FromValue(ushort value)
    {
        int c = ((value >> 4) & 0x1) | ((value >> 7) & 0x2);
        int m = (value & 0x000F) | ((value >> 1) & 0x0070) | ((value >> 2) & 0x0F80);
        return new StunMessageType((StunClass)c, (ushort)m);
    }
}
