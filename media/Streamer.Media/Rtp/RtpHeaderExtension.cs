namespace Streamer.Media.Rtp;

/// <summary>One RFC 8285 header extension element: its negotiated id and its value.</summary>
public readonly record struct RtpHeaderExtension(int Id, ReadOnlyMemory<byte> Value);
