namespace Streamer.Server.Speech;

/// <summary>One answer's audio for a session's <c>Listen</c> streams; never waits, so listeners cannot slow the speech.</summary>
public sealed class ListenerSink(SessionListeners listeners, long speechId, SpeechListeners registry) : ISpeechSink
{
    public ValueTask WriteAsync(ReadOnlyMemory<float> samples, bool isLast, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var dropping = listeners.Write(speechId, samples.Span, isLast);
        if (dropping > 0) registry.ReportDropped(listeners.SessionId, dropping);
        return ValueTask.CompletedTask;
    }

    public void Interrupt() => listeners.Interrupt(speechId);
}
