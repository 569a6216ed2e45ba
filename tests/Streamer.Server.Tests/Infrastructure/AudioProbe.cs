using Streamer.Media.WebRtc;
using Streamer.Server.WebRtc;
using static Streamer.Server.Tests.Infrastructure.Polling;

namespace Streamer.Server.Tests.Infrastructure;

/// <summary>
/// The test's side of the page's audio probe (installed by <see cref="ChromiumPeer.PublishAsync"/>
/// with <c>receiveAudio</c>): a published session whose answer sends audio, and the probe's
/// figures read as a JavaScript expression over <c>p</c> (<c>mark()</c>, <c>firstLoud</c>,
/// <c>lastLoud</c>, <c>rms</c>, <c>threshold</c>, <c>dominantHz</c>, <c>analyser</c>).
/// </summary>
public static class AudioProbe
{
    public static async Task<T> Probe<T>(ChromiumPeer chromium, string expression) =>
        await chromium.Page.EvaluateAsync<T>($"() => {{ const p = window.__audioProbe; return {expression}; }}");

    /// <summary>
    /// Publishes Chromium's camera over WHIP as VP8 with a sendrecv audio transceiver and waits
    /// until the peer is connected and the probe listens to the server's audio track.
    /// </summary>
    public static async Task<(WebRtcSession Session, AudioSender Sender)> PublishListeningAsync(KestrelStreamer server, ChromiumPeer chromium)
    {
        var location = await chromium.PublishAsync(server.BaseAddress, StreamerFactory.TokenA, "VP8", receiveAudio: true);
        var session = (WebRtcSession)server.Sessions.All.Single(s => s.Id == location.Split('/').Last());
        var sender = session.Peer.AudioSender ?? throw new InvalidOperationException("the answer does not send audio");
        await WaitUntilAsync(async () => session.Peer.State == PeerState.Connected && await Probe<bool>(chromium, "p.analyser !== null"),
            TimeSpan.FromSeconds(15), "peer connected and remote audio track attached");
        return (session, sender);
    }
}
