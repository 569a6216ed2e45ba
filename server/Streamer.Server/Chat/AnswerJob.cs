using System.Threading.Channels;
using Streamer.Server.Pipeline;

namespace Streamer.Server.Chat;

/// <summary>
/// One question on its way through the answer queue. Its chunks travel a lossless bounded
/// channel (tokens wait for the client); cancelling it (interrupt, client gone) stops
/// generation at the next token. The ask slot it holds on its session is released once.
/// </summary>
public sealed class AnswerJob : IDisposable
{
    private readonly CancellationTokenSource _cancel;
    private int _released;

    public AnswerJob(SessionMemory memory, string question, long[] questionIds, int chunkQueue, long enqueuedAt, CancellationToken caller)
    {
        Memory = memory;
        Question = question;
        QuestionIds = questionIds;
        EnqueuedAt = enqueuedAt;
        Caller = caller;
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(caller);
        Cancelled = _cancel.Token;
        Chunks = StageChannel.Create<AnswerChunk>(ChannelSpec.Lossless("answer-chunks", chunkQueue), new StageMetrics("answer-stream"));
    }

    public SessionMemory Memory { get; }

    /// <summary>The session asked about; its audio track speaks the answer.</summary>
    public Sessions.Session? Session { get; init; }

    public string Question { get; }

    public long[] QuestionIds { get; }

    /// <summary>A spoken question's 16 kHz mono samples; <see cref="QuestionIds"/> then holds its audio placeholders.</summary>
    public float[]? Audio { get; init; }

    /// <summary>Names a spoken question in the events and answer chunks sent for it.</summary>
    public string? QuestionId { get; init; }

    public long EnqueuedAt { get; }

    public Channel<AnswerChunk> Chunks { get; }

    public CancellationToken Cancelled { get; }

    /// <summary>Cancelled when the asking client stops reading.</summary>
    public CancellationToken Caller { get; }

    public bool IsInterrupted { get; private set; }

    public void Interrupt()
    {
        IsInterrupted = true;
        try
        {
            _cancel.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Gives the session's ask slot back; later calls do nothing.</summary>
    public void Release()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0) Memory.ExitAsk();
    }

    public void Dispose()
    {
        Release();
        _cancel.Dispose();
    }
}
