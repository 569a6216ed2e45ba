namespace Streamer.Media.Ice;

/// <summary>
/// What <see cref="IceLiteAgent.HandleStun"/> did with one datagram.
/// </summary>
/// <param name="ResponseLength">Bytes of the response written to the caller's buffer; 0 when nothing is to be sent.</param>
/// <param name="SelectionChanged">True when this check nominated a new remote address.</param>
/// <param name="Error">Why the datagram was not a valid check, or <see cref="IceError.None"/>.</param>
/// <param name="ParseError">The STUN parser's code when <paramref name="Error"/> is Malformed or BadFingerprint.</param>
public readonly record struct IceResult(int ResponseLength, bool SelectionChanged, IceError Error, ParseError ParseError)
{
    public bool IsValidCheck => Error == IceError.None;
}
