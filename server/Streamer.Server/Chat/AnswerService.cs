using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Streamer.Models.Generation;
using Streamer.Models.Memory;
using Streamer.Models.Processing;
using Streamer.Models.Qwen25Omni;
using Streamer.Server.Models;
using Streamer.Server.Sessions;
using Streamer.Server.Speech;
using static TorchSharp.torch;

namespace Streamer.Server.Chat;

/// <summary>
/// The answer path: questions are checked, queued on one bounded queue per model
/// (<see cref="ChatOptions.GenerationQueueCapacity"/>) and answered by
/// <see cref="ChatOptions.ConcurrentGenerations"/> workers: ReKV retrieval over the session's
/// memory, then streamed decoding. Every refusal is a <see cref="HubException"/> whose message
/// names the limit or the missing piece.
/// </summary>
public sealed class AnswerService : BackgroundService
{
    private readonly IOptions<ChatOptions> _options;
    private readonly SessionRegistry _sessions;
    private readonly SessionMemories _memories;
    private readonly ThinkerHost _model;
    private readonly TimeProvider _time;
    private readonly ILogger<AnswerService> _logger;
    private readonly SpeechService _speech;
    private readonly Channel<AnswerJob> _queue;
    private readonly ConcurrentDictionary<AnswerJob, string> _active = new();

    public AnswerService(IOptions<ChatOptions> options, SessionRegistry sessions, SessionMemories memories, ThinkerHost model,
        TimeProvider time, ILogger<AnswerService> logger, SpeechService speech)
    {
        _speech = speech;
        _options = options;
        _sessions = sessions;
        _memories = memories;
        _model = model;
        _time = time;
        _logger = logger;
        _queue = Channel.CreateBounded<AnswerJob>(new BoundedChannelOptions(options.Value.GenerationQueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleWriter = false,
            SingleReader = options.Value.ConcurrentGenerations == 1,
        });
    }

    /// <summary>Questions waiting for the model.</summary>
    public int Queued => _queue.Reader.Count;

    /// <summary>Checks and queues a question; the returned job's channel streams the answer.</summary>
    /// <exception cref="HubException">The question cannot be asked; the message says why.</exception>
    public AnswerJob Submit(string owner, string sessionId, string? question, CancellationToken caller)
    {
        var limits = _options.Value;
        if (string.IsNullOrWhiteSpace(question)) throw new HubException("The question is empty.");
        if (question.Length > limits.MaxQuestionChars)
            throw new HubException($"The question has {question.Length} characters; the limit is {limits.MaxQuestionChars} (Chat:MaxQuestionChars).");
        var session = FindSession(owner, sessionId);
        var (model, memory) = Admit(session);
        return Enqueue(session, new AnswerJob(memory, question, AnswerPrompt.QuestionIds(model, question), limits.ChunkQueue, _time.GetTimestamp(), caller) { Session = session });
    }

    /// <summary>
    /// Checks and queues a spoken question (16 kHz mono <paramref name="audio"/>) of
    /// <paramref name="session"/>: the same limits and queue as a text question.
    /// </summary>
    /// <exception cref="HubException">The question cannot be asked; the message says why.</exception>
    public AnswerJob SubmitSpoken(Session session, string questionId, float[] audio, CancellationToken caller)
    {
        var (model, memory) = Admit(session);
        return Enqueue(session, new AnswerJob(memory, "(spoken question)", AnswerPrompt.AudioQuestionIds(model, audio.Length),
            _options.Value.ChunkQueue, _time.GetTimestamp(), caller) { Audio = audio, QuestionId = questionId, Session = session });
    }

    /// <summary>Whether a question of the session is queued or being answered.</summary>
    public bool IsAnswering(string sessionId) => _active.Values.Contains(sessionId, StringComparer.Ordinal);

    // The model, the session's memory with frames in it, and one of its ask slots.
    private (LoadedThinker Model, SessionMemory Memory) Admit(Session session)
    {
        var limits = _options.Value;
        var model = _model.Current ?? throw new HubException(_model.Loaded.IsFaulted
            ? "The model failed to load; see the server log."
            : "The model is still loading; ask again once /healthz reports ready.");
        var memory = _memories.Find(session.Id);
        if (memory is null || memory.Memory is null || memory.Blocks == 0)
        {
            throw new HubException(memory is null
                ? $"Session '{session.Id}' has no video memory (state: {session.State.ToString().ToLowerInvariant()})."
                : memory.Error is { } error
                    ? $"The video memory of session '{session.Id}' failed: {error}"
                    : $"No video has reached the memory of session '{session.Id}' yet (frames decoded: {session.Video.FramesDecoded}); ask again once frames have arrived.");
        }
        if (!memory.TryEnterAsk(limits.MaxConcurrentAsksPerSession))
            throw new HubException($"Session '{session.Id}' already has {limits.MaxConcurrentAsksPerSession} question(s) in progress (Chat:MaxConcurrentAsksPerSession); interrupt or wait.");
        return (model, memory);
    }

    private AnswerJob Enqueue(Session session, AnswerJob job)
    {
        _active[job] = session.Id;
        if (!_queue.Writer.TryWrite(job))
        {
            _active.TryRemove(job, out _);
            job.Dispose();
            throw new HubException($"The answer queue is full ({_options.Value.GenerationQueueCapacity} questions waiting, Chat:GenerationQueueCapacity); try again shortly.");
        }
        return job;
    }

    /// <summary>Interrupts every question of the session, queued or being answered, and its speech; returns how many questions.</summary>
    public int Interrupt(string owner, string sessionId)
    {
        var session = FindSession(owner, sessionId);
        // Audio of an answer whose text is done may still be playing.
        _speech.Interrupt(session);
        var count = 0;
        foreach (var (job, id) in _active)
        {
            if (id != session.Id) continue;
            job.Interrupt();
            count++;
        }
        return count;
    }

    /// <summary>The session if the caller's token owns it; a foreign session is reported as missing.</summary>
    public Session FindSession(string owner, string sessionId) =>
        _sessions.Find(sessionId ?? "", owner) ?? throw new HubException($"No session '{sessionId}' for this token.");

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, _options.Value.ConcurrentGenerations).Select(_ => Task.Run(() => WorkAsync(stoppingToken), stoppingToken)));

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var job in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                using (job)
                {
                    try
                    {
                        await AnswerAsync(job).ConfigureAwait(false);
                        // Free the slot before the stream ends, so a reader that asks again at once is admitted.
                        job.Release();
                        job.Chunks.Writer.TryComplete();
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !job.Cancelled.IsCancellationRequested)
                    {
                        _logger.LogWarning(ex, "Answer for session {Id} failed", job.Memory.SessionId);
                        job.Chunks.Writer.TryComplete(ex as HubException ?? new HubException($"The answer failed: {ex.Message}"));
                    }
                    catch (OperationCanceledException)
                    {
                        // The client went away while the final chunk waited; nobody is left to tell.
                        job.Chunks.Writer.TryComplete();
                    }
                    finally
                    {
                        _active.TryRemove(job, out _);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            while (_queue.Reader.TryRead(out var left))
            {
                left.Chunks.Writer.TryComplete(new HubException("The server is shutting down."));
                left.Dispose();
            }
        }
    }

    private async Task AnswerAsync(AnswerJob job)
    {
        var model = _model.Current!;
        var limits = _options.Value;
        var metadata = new AnswerMetadata
        {
            Model = model.Name,
            RandomModel = model.IsRandom,
            MaxTokens = limits.MaxNewTokens,
            QueueMilliseconds = Math.Round(_time.GetElapsedTime(job.EnqueuedAt).TotalMilliseconds, 1),
        };
        var started = _time.GetTimestamp();
        var memory = job.Memory.Memory ?? throw new HubException($"Session '{job.Memory.SessionId}' ended before its question was answered.");
        double[] frameTimes = [];
        var finish = "length";
        var tail = "";
        if (!job.Cancelled.IsCancellationRequested)
        {
            using var ids = tensor(job.QuestionIds, [1, job.QuestionIds.Length]);
            using var spoken = job.Audio is null ? null : EmbedSpokenQuestion(model, ids, job.Audio);
            using var context = spoken is null ? memory.Policy.Retrieve(ids) : memory.Policy.RetrieveEmbedded(spoken);
            // A spoken question reaches the thinker as embeddings; the talker still reads its ids.
            var prompt = spoken is null ? context.Prompt : context.Prompt with { EmbeddedIds = ids };
            frameTimes = FrameTimes(context, memory.FramesPerBlock);
            metadata.RetrievedBlocks = context.Retrieved.Count;
            metadata.WindowBlocks = context.Window.Count;
            var decoder = model.Tokenizer.CreateStreamingDecoder(skipSpecialTokens: true);
            var generation = new GenerationOptions { MaxNewTokens = limits.MaxNewTokens, StopTokenIds = model.StopTokenIds };
            var speech = _speech.Begin(job.Session, model, metadata, started);
            try
            {
                // An interrupt while the text streams reaches the speech at once; after the text it goes through SpeechService.
                using var stopSpeech = speech is null ? default : job.Cancelled.Register(static t => ((SpeechTurn)t!).Stop(), speech);
                await foreach (var id in new ThinkerGenerator(model.Thinker).StreamAsync(prompt, generation, context.Cache, speech?.Feed, job.Cancelled).ConfigureAwait(false))
                {
                    if (metadata.Tokens++ == 0) metadata.FirstTokenMilliseconds = Math.Round(_time.GetElapsedTime(started).TotalMilliseconds, 1);
                    if (model.StopTokenIds.Contains(id))
                    {
                        finish = "stop";
                        break;
                    }
                    var text = decoder.Append(id);
                    if (text.Length > 0)
                        await job.Chunks.Writer.WriteAsync(new AnswerChunk { Text = text, FrameTimes = frameTimes }, job.Cancelled).ConfigureAwait(false);
                }
                tail = decoder.Flush();
            }
            catch (OperationCanceledException) when (job.Cancelled.IsCancellationRequested)
            {
                finish = "interrupted";
            }
            catch
            {
                if (speech is not null) await speech.DisposeAsync().ConfigureAwait(false);
                throw;
            }
            // The speech goes on after the text; the last chunk says where it stands.
            if (speech is not null) _speech.Continue(job.Session!, speech, metadata);
        }
        else
        {
            finish = "interrupted";
        }
        metadata.FinishReason = finish;
        // The final chunk must reach a client that interrupted; it waits only while that client still reads.
        await job.Chunks.Writer.WriteAsync(new AnswerChunk { Text = tail, Done = true, FrameTimes = frameTimes, Metadata = metadata },
            job.Caller).ConfigureAwait(false);
    }

    // Whisper features of the utterance through the audio encoder, scattered into the question's audio placeholders.
    // The question's ids (audio placeholders included) with the encoded audio scattered in.
    private static Tensor EmbedSpokenQuestion(LoadedThinker model, Tensor ids, float[] audio)
    {
        using var scope = NewDisposeScope();
        var extractor = new WhisperFeatureExtractor(WhisperFeatureExtractorOptions.For(model.Thinker.Config.AudioConfig));
        var features = extractor.Extract(audio);
        return model.Thinker.EmbedInputs(new Qwen25OmniThinkerInputs
        {
            InputIds = ids.to(model.Thinker.Device),
            InputFeatures = features.InputFeatures.to(model.Thinker.Device),
            FeatureAttentionMask = features.FeatureAttentionMask,
        }).MoveToOuterDisposeScope();
    }

    // Each block holds FramesPerBlock frames evenly spread over its media span.
    private static double[] FrameTimes(ReKVContext context, int framesPerBlock)
    {
        var spans = context.Retrieved.Select(m => (m.MediaStart, m.MediaEnd))
            .Concat(context.Window.Select(b => (b.MediaStart, b.MediaEnd)));
        return spans
            .SelectMany(s => Enumerable.Range(0, framesPerBlock)
                .Select(i => Math.Round((s.MediaStart + (s.MediaEnd - s.MediaStart) * i / framesPerBlock).TotalSeconds, 3)))
            .Distinct()
            .Order()
            .ToArray();
    }
}
