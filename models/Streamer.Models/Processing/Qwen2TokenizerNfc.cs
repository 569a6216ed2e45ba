using System.Text;

namespace Streamer.Models.Processing;

/// <summary>NFC normalization, Qwen2's normalizer.</summary>
internal static class Qwen2TokenizerNfc
{
    public static string Normalize(ReadOnlySpan<char> text) => new string(text).Normalize(NormalizationForm.FormC);
}
