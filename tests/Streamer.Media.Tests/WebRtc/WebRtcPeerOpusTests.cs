using System.Net;
using Streamer.Media.Dtls;
using Streamer.Media.Tests.Sdp;
using Streamer.Media.WebRtc;

namespace Streamer.Media.Tests.WebRtc;

public sealed class WebRtcPeerOpusTests
{
    /// <summary>Chromium's offer with its audio made sendrecv, as a page that wants to hear answers sends it.</summary>
    private static string SendRecvAudioOffer()
    {
        var offer = SdpResources.ChromiumOffer();
        var audio = offer.IndexOf("m=audio", StringComparison.Ordinal);
        return offer[..audio] + offer[audio..].Replace("a=sendonly", "a=sendrecv", StringComparison.Ordinal);
    }

    private static WebRtcPeerOptions Options(Func<(bool, string)>? probe) => new()
    {
        BindAddress = IPAddress.Loopback,
        SendAudio = true,
        OpusProbe = probe,
    };

    [Fact]
    public async Task Peer_speaks_sendrecv_when_libopus_is_present()
    {
        var certificate = DtlsCertificate.Generate(TimeProvider.System);

        Assert.True(WebRtcPeer.TryCreate(SendRecvAudioOffer(), certificate, Options(null), TimeProvider.System, out var created, out var error), error);
        var peer = created!;
        await using var _ = peer;

        Assert.NotNull(peer.AudioSender);
        Assert.Null(peer.SendAudioUnavailable);
        Assert.Contains("a=sendrecv", peer.AnswerSdp[peer.AnswerSdp.IndexOf("m=audio", StringComparison.Ordinal)..]);
    }

    [Fact]
    public async Task Missing_libopus_downgrades_the_audio_answer_to_recvonly_and_says_why()
    {
        var certificate = DtlsCertificate.Generate(TimeProvider.System);

        Assert.True(WebRtcPeer.TryCreate(SendRecvAudioOffer(), certificate, Options(() => (false, "libopus is not available (libopus.so.0: cannot open)")),
            TimeProvider.System, out var created, out var error), error);
        var peer = created!;
        await using var _ = peer;

        Assert.Null(peer.AudioSender);
        Assert.Equal("audio answered recvonly, answers are text only: libopus is not available (libopus.so.0: cannot open)", peer.SendAudioUnavailable);
        var audio = peer.AnswerSdp[peer.AnswerSdp.IndexOf("m=audio", StringComparison.Ordinal)..];
        Assert.Contains("a=recvonly", audio);
        Assert.DoesNotContain("a=ssrc", audio);
    }
}
