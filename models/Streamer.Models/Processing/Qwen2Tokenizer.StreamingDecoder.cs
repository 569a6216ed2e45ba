using System.Text;

namespace Streamer.Models.Processing;

public sealed partial class Qwen2Tokenizer
{
    /// <summary>
    /// Decodes generated ids one at a time. A token can end in the middle of a multi-byte UTF-8
    /// character (an emoji or CJK character often spans two or three tokens); those bytes are
    /// held back until the character is complete, so every piece returned is final text and the
    /// pieces concatenated equal <see cref="Decode"/> of all the ids. Not thread-safe: one per stream.
    /// </summary>
    public sealed class StreamingDecoder
    {
        private readonly Qwen2Tokenizer _tokenizer;
        private readonly bool _skipSpecialTokens;
        private readonly Decoder _utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetDecoder();
        private readonly List<byte> _bytes = new(16);
        private char[] _chars = new char[32];

        internal StreamingDecoder(Qwen2Tokenizer tokenizer, bool skipSpecialTokens)
        {
            _tokenizer = tokenizer;
            _skipSpecialTokens = skipSpecialTokens;
        }

        /// <summary>Adds one id and returns the text it completes (often empty mid-character).</summary>
        public string Append(int id)
        {
            if (_tokenizer.AddedToken(id) is { } added)
            {
                var before = Flush();
                return _skipSpecialTokens && added.Special ? before : before + added.Content;
            }

            if (_tokenizer.IdToToken(id) is not { } token)
            {
                return string.Empty;
            }

            _bytes.Clear();
            Qwen2TokenizerByteLevel.TryAppendBytes(token, _bytes);
            return DecodeBytes(flush: false);
        }

        /// <summary>
        /// Ends the stream: bytes of a character that never completed come out as U+FFFD, as in
        /// <see cref="Decode"/>. The decoder can be used again afterwards.
        /// </summary>
        public string Flush()
        {
            _bytes.Clear();
            return DecodeBytes(flush: true);
        }

        private string DecodeBytes(bool flush)
        {
            var bytes = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_bytes);
            var needed = _utf8.GetCharCount(bytes, flush: false) + 4;
            if (_chars.Length < needed)
            {
                _chars = new char[Math.Max(needed, _chars.Length * 2)];
            }

            var written = _utf8.GetChars(bytes, _chars, flush);
            return written == 0 ? string.Empty : new string(_chars, 0, written);
        }
    }
}
