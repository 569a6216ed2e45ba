using System.Net;
using Streamer.Media.WebRtc;

namespace Streamer.Server.WebRtc;

/// <summary>WebRTC ingest settings (section <c>WebRtc</c>). Every limit of the ingest is here.</summary>
public sealed class WebRtcOptions
{
    public const string Section = "WebRtc";

    /// <summary>Address the peers' UDP sockets bind to.</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>Address advertised in the ICE host candidate (a public or LAN address); the bind address when empty.</summary>
    public string? CandidateAddress { get; set; }

    /// <summary>UDP port range for peers; 0 and 0 let the OS choose.</summary>
    public int PortMin { get; set; }
    public int PortMax { get; set; }

    /// <summary>Accepted video codecs, matched in the offer's order (VP8, H264).</summary>
    public List<string> VideoCodecs { get; set; } = ["VP8", "H264"];

    public bool AcceptAudio { get; set; } = true;

    /// <summary>Negotiate RTX for video when the browser offers it: NACKed packets come back as RTX retransmissions.</summary>
    public bool AcceptRtx { get; set; } = true;

    /// <summary>Answer the browser's audio sendrecv so spoken answers play on it.</summary>
    public bool SendAudio { get; set; } = true;

    /// <summary>Spoken-audio chunks waiting to be sent; the talker waits when it is full.</summary>
    public int AudioSendQueueChunks { get; set; } = 256;

    public int AudioSendBitRate { get; set; } = 32000;

    /// <summary>How far ahead of real time audio packets may leave.</summary>
    public int AudioSendLeadMilliseconds { get; set; } = 40;

    /// <summary>Largest SDP offer accepted, in bytes.</summary>
    public int MaxSdpBytes { get; set; } = 64 * 1024;

    /// <summary>Encoded frames waiting for the decoder.</summary>
    public int EncodedFrameQueue { get; set; } = 64;

    /// <summary>Decoded frames waiting for the next stage; live video keeps only the newest.</summary>
    public int DecodedFrameQueue { get; set; } = 4;

    public int DecoderThreads { get; set; } = 1;

    /// <summary>Datagrams read from a peer's socket (and stamped with their arrival) but not yet processed; more are dropped and counted.</summary>
    public int ReceiveQueueDatagrams { get; set; } = 1024;

    public double ConnectTimeoutSeconds { get; set; } = 15;
    public double HandshakeTimeoutSeconds { get; set; } = 10;
    public double ConsentTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// How long the jitter buffer waits for a missing packet before giving up on a frame (and
    /// dropping frames until the next keyframe): long enough for two NACK round trips.
    /// </summary>
    public int JitterMaxWaitMilliseconds { get; set; } = 350;

    /// <summary>How often missing packets are NACKed again while they stay missing.</summary>
    public int NackIntervalMilliseconds { get; set; } = 50;

    public WebRtcPeerOptions ToPeerOptions() => new()
    {
        BindAddress = IPAddress.Parse(BindAddress),
        CandidateAddress = string.IsNullOrWhiteSpace(CandidateAddress) ? null : IPAddress.Parse(CandidateAddress),
        PortMin = PortMin,
        PortMax = PortMax,
        VideoCodecs = VideoCodecs,
        AcceptAudio = AcceptAudio,
        AcceptRtx = AcceptRtx,
        SendAudio = SendAudio && AcceptAudio,
        AudioSender = new AudioSenderOptions
        {
            QueueChunks = AudioSendQueueChunks,
            BitRate = AudioSendBitRate,
            Lead = TimeSpan.FromMilliseconds(AudioSendLeadMilliseconds),
        },
        VideoFrameQueue = EncodedFrameQueue,
        ReceiveQueueDatagrams = ReceiveQueueDatagrams,
        ConnectTimeout = TimeSpan.FromSeconds(ConnectTimeoutSeconds),
        Ice = new Media.Ice.IceOptions { ConsentTimeout = TimeSpan.FromSeconds(ConsentTimeoutSeconds) },
        Dtls = new Media.Dtls.DtlsOptions { HandshakeTimeout = TimeSpan.FromSeconds(HandshakeTimeoutSeconds) },
        Jitter = new Media.Codecs.FrameAssemblerOptions { MaxWait = TimeSpan.FromMilliseconds(JitterMaxWaitMilliseconds) },
        Interceptors = new Media.Interceptors.DefaultInterceptorOptions
        {
            NackGenerator = new Media.Interceptors.NackGeneratorOptions { Interval = TimeSpan.FromMilliseconds(NackIntervalMilliseconds) },
        },
    };

    internal static bool IsValid(WebRtcOptions o) =>
        IPAddress.TryParse(o.BindAddress, out _)
        && (string.IsNullOrWhiteSpace(o.CandidateAddress) || IPAddress.TryParse(o.CandidateAddress, out _))
        && o.PortMin is >= 0 and <= 65535 && o.PortMax is >= 0 and <= 65535 && (o.PortMax == 0 || o.PortMax >= o.PortMin)
        && o.VideoCodecs.Count > 0
        && o.VideoCodecs.All(c => c.Equals("VP8", StringComparison.OrdinalIgnoreCase) || c.Equals("H264", StringComparison.OrdinalIgnoreCase))
        && o.MaxSdpBytes >= 1024 && o.EncodedFrameQueue >= 1 && o.DecodedFrameQueue >= 1 && o.DecoderThreads >= 1 && o.ReceiveQueueDatagrams >= 1
        && o.AudioSendQueueChunks >= 1 && o.AudioSendBitRate is >= 6000 and <= 510000 && o.AudioSendLeadMilliseconds is >= 0 and < 1000
        && o.ConnectTimeoutSeconds > 0 && o.HandshakeTimeoutSeconds > 0 && o.ConsentTimeoutSeconds > 0 && o.JitterMaxWaitMilliseconds > 0 && o.NackIntervalMilliseconds > 0;
}
