namespace Streamer.Media.Interceptors;

/// <summary>Where responders hand RTP to resend; the span is only valid during the call.</summary>
public interface IRtpWriter
{
    void Write(ReadOnlySpan<byte> packet);
}
