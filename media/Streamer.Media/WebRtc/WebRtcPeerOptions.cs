using System.Net;
using Streamer.Media.Codecs;
using Streamer.Media.Dtls;
using Streamer.Media.Ice;
using Streamer.Media.Interceptors;

namespace Streamer.Media.WebRtc;

/// <summary>Everything one WebRTC receive peer needs to know; every limit is here.</summary>
public sealed record WebRtcPeerOptions
{
    /// <summary>Address the peer's UDP socket binds to.</summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Loopback;

    /// <summary>Address written into the host candidate; the bound address when null.</summary>
    public IPAddress? CandidateAddress { get; init; }

    /// <summary>First and last UDP port to try; 0 and 0 let the OS choose.</summary>
    public int PortMin { get; init; }
    public int PortMax { get; init; }

    /// <summary>Accepted video codec names, matched in the offer's order.</summary>
    public IReadOnlyList<string> VideoCodecs { get; init; } = ["VP8", "H264"];

    public bool AcceptAudio { get; init; } = true;

    /// <summary>Negotiate RTX (RFC 4588) for video when offered: retransmissions come back on their own SSRC and are restored.</summary>
    public bool AcceptRtx { get; init; } = true;

    /// <summary>Answer audio sendrecv and speak on it through <see cref="WebRtcPeer.AudioSender"/>.</summary>
    public bool SendAudio { get; init; } = true;

    /// <summary>The spoken audio's input rate, queue, bitrate and pacing; channels follow the negotiation.</summary>
    public AudioSenderOptions AudioSender { get; init; } = new();

    /// <summary>Encoded video frames waiting for the decoder; when full the newest is dropped and a keyframe requested.</summary>
    public int VideoFrameQueue { get; init; } = 64;

    /// <summary>Opus frames waiting for a consumer; when full the oldest is dropped.</summary>
    public int AudioFrameQueue { get; init; } = 100;

    /// <summary>How often RTCP feedback, jitter-buffer timeouts and consent are checked.</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Time allowed from the answer to the first ICE check.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);

    public int MaxDatagramSize { get; init; } = 1500;

    /// <summary>
    /// Datagrams read and stamped but not yet processed; when full a datagram is dropped and
    /// counted (rejected "udp/receive-queue-full"). 1024 holds a keyframe burst at high bitrate.
    /// </summary>
    public int ReceiveQueueDatagrams { get; init; } = 1024;

    public IceOptions Ice { get; init; } = new();
    public DtlsOptions Dtls { get; init; } = new();
    public DefaultInterceptorOptions Interceptors { get; init; } = new();
    public FrameAssemblerOptions Jitter { get; init; } = new();

    /// <summary>Replaces the libopus check made before answering audio sendrecv (tests simulate a missing library).</summary>
    internal Func<(bool Ok, string Error)>? OpusProbe { get; init; }
}
