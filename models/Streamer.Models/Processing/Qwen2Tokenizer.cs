using System.Text;
using Microsoft.ML.Tokenizers;

namespace Streamer.Models.Processing;

/// <summary>
/// Qwen2's byte-level BPE tokenizer (Qwen2.5, Qwen2.5-Omni, Qwen3 share it), loaded from an
/// unmodified checkpoint folder and producing the same ids as the reference fast tokenizer:
/// added tokens are cut out first (leftmost, longest), the text between them is NFC-normalized,
/// split by <see cref="Qwen2TokenizerPreTokenizer"/> and merged by Microsoft.ML.Tokenizers' BPE
/// over UTF-8 bytes.
/// </summary>
public sealed partial class Qwen2Tokenizer
{
    private readonly BpeTokenizer _bpe;
    private readonly string?[] _idToToken;
    private readonly Dictionary<string, int> _tokenToId;
    private readonly Dictionary<int, Qwen2TokenizerAddedToken> _addedById;
    private readonly Qwen2TokenizerAddedTokenMatcher _allAddedTokens;
    private readonly Qwen2TokenizerAddedTokenMatcher _nonSpecialAddedTokens;

    private Qwen2Tokenizer(Qwen2TokenizerData data)
    {
        _bpe = BpeTokenizer.Create(new BpeOptions(data.Vocabulary)
        {
            Merges = data.Merges,
            ByteLevel = true,
            PreTokenizer = Qwen2TokenizerPreTokenizer.Instance,
        });

        AddedTokens = data.AddedTokens.OrderBy(t => t.Id).ToArray();
        _tokenToId = new Dictionary<string, int>(data.Vocabulary, StringComparer.Ordinal);
        _addedById = new Dictionary<int, Qwen2TokenizerAddedToken>();
        foreach (var token in AddedTokens)
        {
            _tokenToId[token.Content] = token.Id;
            _addedById[token.Id] = token;
        }

        var size = Math.Max(
            data.Vocabulary.Count == 0 ? 0 : data.Vocabulary.Values.Max() + 1,
            AddedTokens.Count == 0 ? 0 : AddedTokens[^1].Id + 1);
        _idToToken = new string?[size];
        foreach (var (token, id) in data.Vocabulary)
        {
            _idToToken[id] = token;
        }

        foreach (var token in AddedTokens)
        {
            _idToToken[token.Id] = token.Content;
        }

        _allAddedTokens = new Qwen2TokenizerAddedTokenMatcher(AddedTokens);
        _nonSpecialAddedTokens = new Qwen2TokenizerAddedTokenMatcher(AddedTokens.Where(t => !t.Special));
    }

    /// <summary>
    /// Number of token ids the tokenizer knows (BPE vocabulary plus added tokens; the highest id + 1).
    /// The model's embedding table is usually padded beyond this; take that size from config.json.
    /// </summary>
    public int VocabSize => _idToToken.Length;

    /// <summary>The added tokens, by id.</summary>
    public IReadOnlyList<Qwen2TokenizerAddedToken> AddedTokens { get; }

    /// <summary>
    /// Loads the tokenizer of a checkpoint folder: <c>tokenizer.json</c>, or else <c>vocab.json</c>,
    /// <c>merges.txt</c> and <c>tokenizer_config.json</c>.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">The folder holds no usable tokenizer files.</exception>
    /// <exception cref="InvalidDataException">A tokenizer file is malformed.</exception>
    public static Qwen2Tokenizer FromFolder(string folder) => new(Qwen2TokenizerFiles.LoadFolder(folder));

    /// <summary>
    /// A tokenizer made in code for a model without a checkpoint: one token per byte (id = byte
    /// value, no merges) followed by <paramref name="addedTokens"/>. Checkpoints load through
    /// <see cref="FromFolder"/>.
    /// </summary>
    public static Qwen2Tokenizer ByteLevelOnly(IReadOnlyList<Qwen2TokenizerAddedToken> addedTokens)
    {
        ArgumentNullException.ThrowIfNull(addedTokens);
        var vocabulary = new Dictionary<string, int>(256, StringComparer.Ordinal);
        for (var b = 0; b < 256; b++)
        {
            vocabulary[Qwen2TokenizerByteLevel.ByteToChar((byte)b).ToString()] = b;
        }

        return new Qwen2Tokenizer(new Qwen2TokenizerData(vocabulary, [], addedTokens));
    }

    /// <summary>Loads a Hugging Face fast-tokenizer <c>tokenizer.json</c>.</summary>
    public static Qwen2Tokenizer FromTokenizerJson(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Tokenizer file '{path}' does not exist.", path);
        }

        return new Qwen2Tokenizer(Qwen2TokenizerFiles.LoadTokenizerJson(path));
    }

    /// <summary>
    /// Encodes text to ids. With <paramref name="parseSpecialTokens"/> every added token written in
    /// the text (<c>&lt;|im_start|&gt;</c>) becomes its single id; without it, special tokens are
    /// encoded as the plain characters they are made of (use that for untrusted user text) while
    /// non-special added tokens still match, as with the reference's <c>split_special_tokens</c>.
    /// </summary>
    public IReadOnlyList<int> Encode(string text, bool parseSpecialTokens = true)
    {
        var matcher = parseSpecialTokens ? _allAddedTokens : _nonSpecialAddedTokens;
        var ids = new List<int>();
        var segmentStart = 0;
        var position = 0;
        while (position < text.Length)
        {
            var token = matcher.MatchAt(text, position);
            if (token is null)
            {
                position++;
                continue;
            }

            EncodeOrdinary(text.AsSpan(segmentStart, position - segmentStart), ids);
            ids.Add(token.Id);
            position += token.Content.Length;
            segmentStart = position;
        }

        EncodeOrdinary(text.AsSpan(segmentStart), ids);
        return ids;
    }

    /// <summary>
    /// Decodes ids to text. Byte sequences that are not valid UTF-8 become U+FFFD; ids the
    /// tokenizer does not know (padding rows of the embedding) are skipped, as the reference does.
    /// </summary>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = false)
    {
        var text = new StringBuilder();
        var pending = new List<byte>();
        foreach (var id in ids)
        {
            if (_addedById.TryGetValue(id, out var added))
            {
                FlushBytes(pending, text);
                if (!(skipSpecialTokens && added.Special))
                {
                    text.Append(added.Content);
                }
            }
            else if (IdToToken(id) is { } token)
            {
                Qwen2TokenizerByteLevel.TryAppendBytes(token, pending);
            }
        }

        FlushBytes(pending, text);
        return text.ToString();
    }

    /// <summary>The id of a vocabulary token (byte-level form, "Ġhello") or of an added token.</summary>
    public int? TokenToId(string token) => _tokenToId.TryGetValue(token, out var id) ? id : null;

    /// <summary>The token of an id: byte-level form for vocabulary tokens, content for added ones.</summary>
    public string? IdToToken(int id) => (uint)id < (uint)_idToToken.Length ? _idToToken[id] : null;

    /// <summary>Starts decoding a stream of generated ids piece by piece.</summary>
    public StreamingDecoder CreateStreamingDecoder(bool skipSpecialTokens = false) => new(this, skipSpecialTokens);

    internal Qwen2TokenizerAddedToken? AddedToken(int id) => _addedById.GetValueOrDefault(id);

    private void EncodeOrdinary(ReadOnlySpan<char> segment, List<int> ids)
    {
        if (segment.IsEmpty)
        {
            return;
        }

        var normalized = Qwen2TokenizerNfc.Normalize(segment);
        ids.AddRange(_bpe.EncodeToIds(normalized));
    }

    private static void FlushBytes(List<byte> pending, StringBuilder text)
    {
        if (pending.Count == 0)
        {
            return;
        }

        text.Append(Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(pending)));
        pending.Clear();
    }
}
