using System.Diagnostics.Metrics;
using Streamer.Media.WebRtc;
using Streamer.Server.Sessions;
using Streamer.Server.WebRtc;

namespace Streamer.Server.Speech;

/// <summary>
/// Every speaking session's <see cref="AudioSenderStats"/> as instruments of meter
/// <c>Streamer.Speech</c> (exported on /metrics), labelled by session.
/// </summary>
public sealed class AudioOutMetrics : IDisposable
{
    private readonly Meter _meter = new("Streamer.Speech");

    public AudioOutMetrics(SessionRegistry sessions)
    {
        _meter.CreateObservableGauge("streamer_audio_out_packets", () => Observe(sessions, s => s.PacketsSent), description: "RTP audio packets sent on answers' audio tracks");
        _meter.CreateObservableGauge("streamer_audio_out_bytes", () => Observe(sessions, s => s.BytesSent), description: "RTP audio bytes sent, headers included, before SRTP");
        _meter.CreateObservableGauge("streamer_audio_out_queued_ms", () => Observe(sessions, QueuedMilliseconds), description: "Spoken audio waiting to be sent");
        _meter.CreateObservableGauge("streamer_audio_out_dropped_frames", () => Observe(sessions, s => s.FramesDroppedOnInterrupt), description: "20 ms frames of queued speech dropped by interrupts");
        _meter.CreateObservableGauge("streamer_audio_out_interrupts", () => Observe(sessions, s => s.Interrupts), description: "Interrupts of spoken answers");
        _meter.CreateObservableGauge("streamer_audio_out_underruns", () => Observe(sessions, s => s.Underruns), description: "Times speech ran dry while a frame was due");
    }

    /// <summary>Milliseconds of input audio (24 kHz) waiting in the sender's queue.</summary>
    public static double QueuedMilliseconds(AudioSenderStats stats) =>
        stats.QueuedInputSamples * 1000.0 / new AudioSenderOptions().InputSampleRate;

    private static IEnumerable<Measurement<double>> Observe(SessionRegistry sessions, Func<AudioSenderStats, double> read)
    {
        foreach (var session in sessions.All)
        {
            if (session is WebRtcSession { Peer.AudioSender: { } sender })
                yield return new Measurement<double>(read(sender.Stats), new KeyValuePair<string, object?>("session", session.Id));
        }
    }

    public void Dispose() => _meter.Dispose();
}
