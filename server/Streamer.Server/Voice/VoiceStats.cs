using System.Diagnostics.Metrics;

namespace Streamer.Server.Voice;

/// <summary>
/// What one session's voice stage counted, readable directly and published through the
/// <c>Streamer.Voice</c> meter (exported on /metrics).
/// </summary>
public sealed class VoiceStats
{
    public static readonly Meter Meter = new("Streamer.Voice");
    private static readonly Counter<long> UtteranceCounter = Meter.CreateCounter<long>("streamer_voice_utterances",
        description: "Utterances cut by voice activity detection, by outcome: asked, max-length (cut and asked), too-short, dropped (queue full)");
    private static readonly Counter<long> BargeInCounter = Meter.CreateCounter<long>("streamer_voice_barge_ins",
        description: "Answers interrupted because the user started speaking");
    private static readonly Counter<long> RejectedCounter = Meter.CreateCounter<long>("streamer_voice_packets_rejected",
        description: "Opus packets that did not decode");

    private static readonly Counter<long> LateCounter = Meter.CreateCounter<long>("streamer_voice_packets_late",
        description: "Opus packets dropped because they arrived after their time was already played (reordered, duplicated)");
    private static readonly Counter<double> ConcealedCounter = Meter.CreateCounter<double>("streamer_voice_concealed_seconds",
        description: "Lost audio synthesized by Opus concealment or in-band FEC");
    private static readonly Counter<double> SilencedCounter = Meter.CreateCounter<double>("streamer_voice_silenced_seconds",
        description: "Lost audio beyond Voice:MaxConcealMilliseconds, counted as silence");

    private long _late, _concealedSamples, _silencedSamples, _gaps;
    private long _asked, _maxLength, _tooShort, _dropped, _bargeIns, _rejected, _packets;

    public long Packets => Interlocked.Read(ref _packets);

    /// <summary>Utterances asked (those cut at the maximum length included).</summary>
    public long Utterances => Interlocked.Read(ref _asked);

    public long MaxLengthCuts => Interlocked.Read(ref _maxLength);

    public long TooShort => Interlocked.Read(ref _tooShort);

    /// <summary>Utterances dropped because Voice:UtteranceQueue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public long BargeIns => Interlocked.Read(ref _bargeIns);

    public long PacketsRejected => Interlocked.Read(ref _rejected);

    /// <summary>Packets dropped because their time had already been decoded (reordered, duplicated).</summary>
    public long PacketsLate => Interlocked.Read(ref _late);

    /// <summary>Lost audio synthesized by concealment or FEC, at 48 kHz.</summary>
    public long ConcealedSamples => Interlocked.Read(ref _concealedSamples);

    /// <summary>Lost audio beyond Voice:MaxConcealMilliseconds, taken as silence, at 48 kHz.</summary>
    public long SilencedSamples => Interlocked.Read(ref _silencedSamples);

    /// <summary>Gaps in the timestamps (lost packets, runs of them counted once).</summary>
    public long Gaps => Interlocked.Read(ref _gaps);

    public void Packet() => Interlocked.Increment(ref _packets);

    public void Late()
    {
        Interlocked.Increment(ref _late);
        LateCounter.Add(1);
    }

    /// <summary>A gap of <paramref name="concealed"/> synthesized and <paramref name="silenced"/> silent samples at <paramref name="rate"/>.</summary>
    public void Gap(long concealed, long silenced, int rate)
    {
        Interlocked.Increment(ref _gaps);
        Interlocked.Add(ref _concealedSamples, concealed);
        Interlocked.Add(ref _silencedSamples, silenced);
        ConcealedCounter.Add(concealed / (double)rate);
        if (silenced > 0) SilencedCounter.Add(silenced / (double)rate);
    }

    public void Utterance(bool maxLength)
    {
        Interlocked.Increment(ref _asked);
        if (maxLength) Interlocked.Increment(ref _maxLength);
        UtteranceCounter.Add(1, new KeyValuePair<string, object?>("outcome", maxLength ? "max-length" : "asked"));
    }

    public void UtteranceTooShort()
    {
        Interlocked.Increment(ref _tooShort);
        UtteranceCounter.Add(1, new KeyValuePair<string, object?>("outcome", "too-short"));
    }

    public void UtteranceDropped()
    {
        Interlocked.Increment(ref _dropped);
        UtteranceCounter.Add(1, new KeyValuePair<string, object?>("outcome", "dropped"));
    }

    public void BargeIn()
    {
        Interlocked.Increment(ref _bargeIns);
        BargeInCounter.Add(1);
    }

    public void Rejected(string reason)
    {
        Interlocked.Increment(ref _rejected);
        RejectedCounter.Add(1, new KeyValuePair<string, object?>("reason", reason));
    }
}
