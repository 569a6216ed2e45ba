namespace Streamer.KvStore;

/// <summary>An options value that cannot work; thrown on start, never per operation.</summary>
public sealed class KvStoreOptionsException : Exception
{
    public KvStoreOptionsException(string option, string problem)
        : base($"KvStore option {option} {problem}.")
    {
        Option = option;
    }

    public string Option { get; }
}
