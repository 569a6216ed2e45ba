using MessagePack;

namespace Streamer.Server.Voice;

/// <summary>
/// A session's voice figures, in the stats API and the hub's stats events: packets received,
/// lost audio concealed (and beyond Voice:MaxConcealMilliseconds taken as silence), late and
/// undecodable packets dropped, and what voice activity detection made of the rest.
/// </summary>
[MessagePackObject]
public sealed class VoiceStatsDto
{
    private const double SamplesPerMs = Media.Codecs.OpusDecoder.SampleRate / 1000.0;

    [Key("packets")] public long Packets { get; init; }

    /// <summary>Dropped because their time had already been decoded (reordered, duplicated).</summary>
    [Key("packetsLate")] public long PacketsLate { get; init; }

    /// <summary>Did not decode; their time is concealed like a lost packet's.</summary>
    [Key("packetsRejected")] public long PacketsRejected { get; init; }

    /// <summary>Holes in the RTP timestamps (a run of lost packets counts once).</summary>
    [Key("gaps")] public long Gaps { get; init; }

    [Key("concealedMs")] public double ConcealedMs { get; init; }

    [Key("silencedMs")] public double SilencedMs { get; init; }

    [Key("utterances")] public long Utterances { get; init; }

    [Key("maxLengthCuts")] public long MaxLengthCuts { get; init; }

    [Key("tooShort")] public long TooShort { get; init; }

    [Key("utterancesDropped")] public long UtterancesDropped { get; init; }

    [Key("bargeIns")] public long BargeIns { get; init; }

    public static VoiceStatsDto From(VoiceStats stats) => new()
    {
        Packets = stats.Packets,
        PacketsLate = stats.PacketsLate,
        PacketsRejected = stats.PacketsRejected,
        Gaps = stats.Gaps,
        ConcealedMs = stats.ConcealedSamples / SamplesPerMs,
        SilencedMs = stats.SilencedSamples / SamplesPerMs,
        Utterances = stats.Utterances,
        MaxLengthCuts = stats.MaxLengthCuts,
        TooShort = stats.TooShort,
        UtterancesDropped = stats.Dropped,
        BargeIns = stats.BargeIns,
    };
}
