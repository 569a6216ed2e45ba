using Streamer.Media.WebRtc;

namespace Streamer.Server.Speech;

/// <summary>Speech on a WebRTC session's audio track: 48 kHz Opus paced in real time by the peer's <see cref="AudioSender"/>.</summary>
public sealed class AudioSenderSink(AudioSender sender) : ISpeechSink
{
    public ValueTask WriteAsync(ReadOnlyMemory<float> samples, bool isLast, CancellationToken cancellationToken) =>
        sender.EnqueueAsync(samples, endOfAnswer: isLast, cancellationToken);

    public void Interrupt() => sender.Interrupt();
}
