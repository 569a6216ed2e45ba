using Streamer.Server.Pipeline;

namespace Streamer.Server.Speech;

/// <summary>
/// The <c>Listen</c> streams of one session. Fan-out, interrupt and reads share one gate, so an
/// interrupt leaves no chunk of the cut answer behind its marker, whichever thread writes.
/// </summary>
public sealed class SessionListeners(string sessionId)
{
    private readonly List<SpeechListener> _listeners = [];
    private long _cutThrough;
    private long _lastSpeechId;

    public Lock Gate { get; } = new();

    public string SessionId { get; } = sessionId;

    /// <summary>Speech stages of a session that has no WebRTC peer to carry them (RTSP).</summary>
    public StageMetrics SpeechSynthesis { get; } = new("speech-synthesis");

    public StageMetrics SpeechSend { get; } = new("speech-send");

    public int Count
    {
        get
        {
            lock (Gate) return _listeners.Count;
        }
    }

    /// <summary>A new listener, or null when the session already has <paramref name="max"/>.</summary>
    public SpeechListener? TryAdd(int max, int queue)
    {
        lock (Gate)
        {
            if (_listeners.Count >= max) return null;
            var listener = new SpeechListener(queue);
            _listeners.Add(listener);
            return listener;
        }
    }

    public void Remove(SpeechListener listener)
    {
        lock (Gate) _listeners.Remove(listener);
    }

    /// <summary>
    /// Queues a chunk of answer <paramref name="speechId"/> for every listener without waiting;
    /// returns how many listeners had to drop a chunk to take it. Audio of an interrupted answer is ignored.
    /// </summary>
    public int Write(long speechId, ReadOnlySpan<float> samples, bool isLast)
    {
        var pcm = SpeechAudioChunk.ToPcm16(samples);
        lock (Gate)
        {
            if (speechId <= _cutThrough) return 0;
            _lastSpeechId = Math.Max(_lastSpeechId, speechId);
            var dropping = 0;
            foreach (var listener in _listeners)
            {
                var before = listener.Dropped;
                listener.Write(new SpeechAudioChunk { SpeechId = speechId, SampleRate = SpeechListeners.SampleRate, Samples = pcm, IsLast = isLast });
                if (listener.Dropped != before) dropping++;
            }
            return dropping;
        }
    }

    /// <summary>
    /// Drops every listener's queued audio and ignores what the answers spoken so far (through
    /// <paramref name="speechId"/>, when given) still send.
    /// </summary>
    public void Interrupt(long? speechId = null)
    {
        lock (Gate)
        {
            _cutThrough = Math.Max(_cutThrough, Math.Max(_lastSpeechId, speechId ?? 0));
            foreach (var listener in _listeners) listener.Interrupt();
        }
    }
}
