using static TorchSharp.torch;

namespace Streamer.Models.Speech;

/// <summary>
/// One voice of the checkpoint's speaker dictionary: the thinker token that opens the talker's
/// reply (<c>bos_token</c>), the DiT's speaker vector <c>cond</c> [1, enc_emb_dim] and the
/// reference mel [1, T_ref, mel_dim] its speaker encoder reads. The speaker owns its tensors.
/// </summary>
public sealed class Speaker(string name, long bosTokenId, Tensor cond, Tensor referenceMel) : IDisposable
{
    public string Name { get; } = name;

    public long BosTokenId { get; } = bosTokenId;

    public Tensor Cond { get; } = cond;

    public Tensor ReferenceMel { get; } = referenceMel;

    public void Dispose()
    {
        Cond.Dispose();
        ReferenceMel.Dispose();
    }
}
