using Streamer.Media.Interceptors;

namespace Streamer.Media.Rtsp;

public sealed class RtspClientOptions
{
    /// <summary>Interleaved on the RTSP connection (works through NAT and firewalls) or UDP.</summary>
    public RtspTransportProtocol Transport { get; set; } = RtspTransportProtocol.Tcp;

    /// <summary>Credentials to use instead of the URL's userinfo.</summary>
    public RtspCredentials? Credentials { get; set; }

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a request waits for its response before the session is given up.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>301/302 redirects followed at most.</summary>
    public int MaxRedirects { get; set; } = 3;

    public string UserAgent { get; set; } = "Streamer";

    /// <summary>How often receiver reports go to the camera.</summary>
    public ReceiverReportOptions ReceiverReports { get; set; } = new();

    /// <summary>Keep-alives are sent this fraction of the session timeout apart.</summary>
    public double KeepAliveFraction { get; set; } = 0.5;
}
