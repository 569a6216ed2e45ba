namespace Streamer.Server.Speech;

/// <summary>
/// Where a <see cref="SpeechTurn"/> hands its 24 kHz audio: the session's WebRTC audio track
/// (<see cref="AudioSenderSink"/>) and the hub's listeners (<see cref="ListenerSink"/>).
/// </summary>
public interface ISpeechSink
{
    /// <summary>Hands on one chunk; may wait while the sink paces audio in real time.</summary>
    ValueTask WriteAsync(ReadOnlyMemory<float> samples, bool isLast, CancellationToken cancellationToken);

    /// <summary>Drops what the sink still holds of this answer; called on interrupt, never blocks.</summary>
    void Interrupt();
}
