using System.Threading.Channels;

namespace Streamer.Server.Speech;

/// <summary>
/// One <c>Listen</c> stream: a bounded queue that drops its oldest chunk when the client reads too
/// slowly, so a slow listener loses audio instead of holding back the synthesis or other listeners.
/// Every method but <see cref="ReadAllAsync"/> is called under the session's gate.
/// </summary>
public sealed class SpeechListener
{
    private readonly Channel<SpeechAudioChunk> _queue;
    private int _droppedSinceRead;
    private long? _openSpeechId;

    public SpeechListener(int capacity)
    {
        _queue = Channel.CreateBounded<SpeechAudioChunk>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = false },
            _ =>
            {
                _droppedSinceRead++;
                Dropped++;
            });
    }

    /// <summary>Chunks this listener lost to a full queue since it started listening.</summary>
    public long Dropped { get; private set; }

    /// <summary>Queues a chunk; a full queue drops its oldest (counted, and reported on the next chunk read).</summary>
    public void Write(SpeechAudioChunk chunk)
    {
        _queue.Writer.TryWrite(chunk);
        _openSpeechId = chunk.IsLast ? null : chunk.SpeechId;
    }

    /// <summary>
    /// Drops the queued audio; when an answer's audio was cut, queues an empty last chunk marked
    /// interrupted so the client flushes what it buffered. Returns how many chunks were dropped.
    /// </summary>
    public int Interrupt()
    {
        var cleared = 0;
        long? cut = _openSpeechId;
        while (_queue.Reader.TryRead(out var chunk))
        {
            cleared++;
            cut ??= chunk.SpeechId;
        }
        if (cut is { } speechId)
        {
            _queue.Writer.TryWrite(new SpeechAudioChunk { SpeechId = speechId, SampleRate = SpeechListeners.SampleRate, IsLast = true, Interrupted = true });
            _openSpeechId = null;
        }
        return cleared;
    }

    /// <summary>The queued chunks as they come, each with the drops just before it, until <paramref name="cancellationToken"/> fires.</summary>
    public async IAsyncEnumerable<SpeechAudioChunk> ReadAllAsync(Lock gate, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                if (!await _queue.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false)) yield break;
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
            SpeechAudioChunk? next;
            lock (gate)
            {
                if (!_queue.Reader.TryRead(out next)) continue;
                next.Dropped = _droppedSinceRead;
                _droppedSinceRead = 0;
            }
            yield return next;
        }
    }
}
