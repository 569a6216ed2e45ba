using Streamer.Models.Qwen25Omni;
using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Models.Generation;

/// <summary>
/// A thinker reply as it is being generated, for a talker that runs behind the thinker. The
/// reference feeds <c>thinker_reply_part</c> one row per talker step, so talker step k needs only
/// the reply tokens up to k: the thinker writes its prompt (<see cref="SetPrompt"/>) and every
/// token it feeds back with that token's final hidden state (<see cref="Append"/>), then
/// <see cref="Complete"/>; the talker waits for the row each step needs. A row is computed exactly
/// as <see cref="TalkerPromptBuilder"/> computes it offline (embedding + hidden state), so the
/// codes equal the offline path's. The feed owns copies of everything it is given.
/// </summary>
public sealed class TalkerReplyFeed : IDisposable
{
    private readonly Qwen25OmniThinker _thinker;
    private readonly Lock _gate = new();
    private readonly List<long> _ids = [];
    private readonly List<Tensor> _hidden = [];
    private readonly List<Tensor> _rows = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Tensor? _promptIds, _promptEmbeds, _promptHidden;
    private bool _completed;
    private bool _disposed;

    public TalkerReplyFeed(Qwen25OmniThinker thinker) => _thinker = thinker;

    /// <summary>The prompt's 0/1 mask [1, L] when it has padding; the feed does not own it (nor the grids below).</summary>
    public Tensor? AttentionMask { get; init; }

    /// <summary>The thinker prompt's layout, for the talker's rope index (null for a text prompt).</summary>
    public Tensor? ImageGridThw { get; init; }

    public Tensor? VideoGridThw { get; init; }

    public Tensor? AudioSeqlens { get; init; }

    public Tensor? SecondPerGrids { get; init; }

    public bool UseAudioInVideo { get; init; }

    /// <summary>Tokens fed back to the thinker so far.</summary>
    public int Count
    {
        get { lock (_gate) return _ids.Count; }
    }

    public bool IsCompleted
    {
        get { lock (_gate) return _completed; }
    }

    /// <summary>The prompt the thinker's prefill consumed: ids [1, L], embeddings and final hidden states [1, L, H].</summary>
    public void SetPrompt(Tensor promptIds, Tensor promptEmbeds, Tensor promptHidden)
    {
        using var noGrad = no_grad();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_promptIds is not null) throw new InvalidOperationException("the prompt of a reply is set once");
            _promptIds = promptIds.to(ScalarType.Int64).cpu().clone().DetachFromDisposeScope();
            _promptEmbeds = promptEmbeds.detach().clone().DetachFromDisposeScope();
            _promptHidden = promptHidden.detach().clone().DetachFromDisposeScope();
        }
        Signal();
    }

    /// <summary>A reply token fed back to the thinker and its final hidden state [1, 1, H].</summary>
    public void Append(long id, Tensor hidden)
    {
        using var noGrad = no_grad();
        Tensor kept, row;
        using (NewDisposeScope())
        {
            kept = hidden.detach().clone().DetachFromDisposeScope();
            row = (_thinker.Embed(tensor(new[] { id }, [1, 1])) + kept.to(_thinker.Device)).DetachFromDisposeScope();
        }
        lock (_gate)
        {
            if (_disposed || _completed)
            {
                kept.Dispose();
                row.Dispose();
                ObjectDisposedException.ThrowIf(_disposed, this);
                throw new InvalidOperationException("the reply is already complete");
            }
            _ids.Add(id);
            _hidden.Add(kept);
            _rows.Add(row);
        }
        Signal();
    }

    /// <summary>The thinker is done: rows past the last token are the text end, then the text pad.</summary>
    public void Complete()
    {
        lock (_gate) _completed = true;
        Signal();
    }

    /// <summary>Waits until <paramref name="tokens"/> reply tokens exist (and the prompt), or the reply is complete; false when it completed short.</summary>
    public async ValueTask<bool> WaitForAsync(int tokens, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_promptIds is not null && _ids.Count >= tokens) return true;
                if (_completed) return false;
                changed = _changed.Task;
            }
            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The talker prompt once the prompt and the first reply token are known (see <see cref="WaitForAsync"/>):
    /// built by <see cref="TalkerPromptBuilder"/> from the first token alone, so its reply part holds
    /// only the text end and pad rows that <see cref="ReplyRow"/> falls back to.
    /// </summary>
    public TalkerPrompt BuildPrompt(Qwen25OmniTalkerConfig talkerConfig, long speakerBosTokenId)
    {
        Tensor ids, embeds, hidden, firstHidden;
        long first;
        lock (_gate)
        {
            if (_promptIds is null || _ids.Count == 0) throw new InvalidOperationException("the talker prompt needs the thinker prompt and the first reply token");
            (ids, embeds, hidden, first, firstHidden) = (_promptIds, _promptEmbeds!, _promptHidden!, _ids[0], _hidden[0]);
        }
        using var firstId = tensor(new[] { first }, [1, 1]);
        var prompt = TalkerPromptBuilder.Build(_thinker, talkerConfig, ids, embeds, hidden, firstId, firstHidden, speakerBosTokenId, AttentionMask);
        return prompt with
        {
            ImageGridThw = ImageGridThw,
            VideoGridThw = VideoGridThw,
            AudioSeqlens = AudioSeqlens,
            SecondPerGrids = SecondPerGrids,
            UseAudioInVideo = UseAudioInVideo,
        };
    }

    /// <summary>
    /// Row <paramref name="index"/> of thinker_reply_part: reply token index + 1 while the thinker's
    /// tokens last, then the prompt's own tail (text end, then text pad for ever). The caller has
    /// waited for token index + 1 with <see cref="WaitForAsync"/>.
    /// </summary>
    public Tensor ReplyRow(int index, Tensor promptTail)
    {
        lock (_gate)
        {
            if (index + 1 < _rows.Count) return _rows[index + 1].alias();
            if (!_completed) throw new InvalidOperationException($"reply row {index} is not known yet; wait for {index + 2} tokens first");
            var spent = index + 1 - _rows.Count;
            return promptTail.narrow(1, Math.Min(spent, promptTail.shape[1] - 1), 1);
        }
    }

    private void Signal()
    {
        TaskCompletionSource fired;
        lock (_gate)
        {
            fired = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        fired.TrySetResult();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _promptIds?.Dispose();
            _promptEmbeds?.Dispose();
            _promptHidden?.Dispose();
            foreach (var t in _hidden.Concat(_rows)) t.Dispose();
            _hidden.Clear();
            _rows.Clear();
        }
        Signal();
    }
}
