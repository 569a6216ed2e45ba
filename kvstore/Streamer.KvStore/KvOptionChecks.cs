namespace Streamer.KvStore;

/// <summary>Shared validation for the options classes; failures name the option.</summary>
internal static class KvOptionChecks
{
    public static void Name(string? value, string option)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new KvStoreOptionsException(option, "must not be empty");
        }
    }

    public static void Positive(long value, string option)
    {
        if (value <= 0)
        {
            throw new KvStoreOptionsException(option, $"must be positive, was {value}");
        }
    }

    public static void Positive(TimeSpan value, string option)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new KvStoreOptionsException(option, $"must be positive, was {value}");
        }
    }
}
