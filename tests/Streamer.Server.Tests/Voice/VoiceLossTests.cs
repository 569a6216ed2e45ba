using Streamer.Media.Codecs;
using Streamer.Server.Voice;
using Xunit.Abstractions;

namespace Streamer.Server.Tests.Voice;

/// <summary>
/// libopus-encoded speech through the <see cref="VoiceListener"/> with packets lost, reordered
/// and wrapped: utterances must be cut where the lossless stream cuts them, on the RTP clock.
/// </summary>
[Trait("Category", "Voice")]
public sealed class VoiceLossTests(ITestOutputHelper output)
{
    private const int Packet = OpusDecoder.FrameSize;
    // Lost frames change the decoded audio a little, so a cut may move by a frame or two.
    private const double Tolerance = 0.045;

    private sealed record Utterance(double Start, double End, UtteranceEnd Reason);

    private sealed record Run(List<Utterance> Utterances, VoiceStats Stats);

    // The first packet arrives at media time 0, so media times count from its timestamp.
    private static Run Listen(IEnumerable<EncodedFrame> packets, VoiceOptions? options = null, Func<int, double>? arrival = null)
    {
        var index = 0;
        var stats = new VoiceStats();
        using var listener = new VoiceListener(options ?? new VoiceOptions(), stats);
        var events = new List<VoiceActivityEvent>();
        var utterances = new List<Utterance>();
        void Collect()
        {
            utterances.AddRange(events.Where(e => e.Kind == VoiceActivityKind.Utterance)
                .Select(e => new Utterance(listener.MediaTime(e.StartSample), listener.MediaTime(e.EndSample), e.End)));
            events.Clear();
        }
        foreach (var packet in packets)
        {
            using (packet) listener.Receive(packet.Data.Span, packet.RtpTimestamp, arrival?.Invoke(index) ?? 0, events);
            index++;
            Collect();
        }
        listener.Flush(events);
        Collect();
        return new Run(utterances, stats);
    }

    private static List<EncodedFrame> Speech(double before, double speech, double after, int seed, uint firstTimestamp = 0) =>
        OpusTestAudio.Encode(OpusTestAudio.SpeechAfterSilence(before, speech, after, seed), firstTimestamp);

    private void Describe(string name, Run run)
    {
        foreach (var u in run.Utterances) output.WriteLine($"{name}: {u.Start:F3}-{u.End:F3} s {u.Reason}");
        output.WriteLine($"{name}: concealed {run.Stats.ConcealedSamples / 48.0} ms, silenced {run.Stats.SilencedSamples / 48.0} ms, {run.Stats.Gaps} gaps, {run.Stats.PacketsLate} late");
    }

    private static void AssertSameCut(Utterance expected, Utterance actual)
    {
        Assert.Equal(expected.Reason, actual.Reason);
        Assert.InRange(actual.Start, expected.Start - Tolerance, expected.Start + Tolerance);
        Assert.InRange(actual.End, expected.End - Tolerance, expected.End + Tolerance);
    }

    [Fact]
    public void Five_percent_random_loss_and_a_burst_of_three_still_cut_the_utterance_where_the_lossless_run_does()
    {
        var lossless = Listen(Speech(1.0, 1.6, 1.0, seed: 81));
        var packets = Speech(1.0, 1.6, 1.0, seed: 81);
        var random = new Random(5);
        // The burst sits in the middle of the speech (packets 80-82: 1.6-1.66 s).
        var lost = Enumerable.Range(1, packets.Count - 2).Where(i => random.NextDouble() < 0.05 || i is >= 80 and <= 82).ToHashSet();
        var lossy = Listen(packets.Where((p, i) =>
        {
            if (!lost.Contains(i)) return true;
            p.Dispose();
            return false;
        }));

        Describe("lossless", lossless);
        Describe("lossy", lossy);
        output.WriteLine($"lost {lost.Count} of {packets.Count}: {string.Join(' ', lost.Order())}");
        Assert.True(lost.Count >= 9, $"only {lost.Count} lost");
        var expected = Assert.Single(lossless.Utterances);
        AssertSameCut(expected, Assert.Single(lossy.Utterances));
        // Every lost packet was filled by concealment, none by silence.
        Assert.Equal(lost.Count * (long)Packet, lossy.Stats.ConcealedSamples);
        Assert.Equal(0, lossy.Stats.SilencedSamples);
        Assert.Equal(packets.Count - lost.Count, lossy.Stats.Packets);
        Assert.Equal(0, lossless.Stats.ConcealedSamples);
        Assert.Equal(0, lossy.Stats.PacketsLate);
    }

    [Fact]
    public void Reordered_pair_conceals_the_first_and_drops_it_when_it_arrives_late()
    {
        var lossless = Listen(Speech(0.6, 1.2, 0.8, seed: 83));
        var packets = Speech(0.6, 1.2, 0.8, seed: 83);
        // Packets 50 and 51 (1.0 s, in the speech) swap places; 60 arrives twice.
        (packets[50], packets[51]) = (packets[51], packets[50]);
        var duplicate = EncodedFrame.CopyAudio(packets[60].Data.Span, packets[60].RtpTimestamp);
        packets.Insert(61, duplicate);

        var run = Listen(packets);

        Describe("lossless", lossless);
        Describe("reordered", run);
        AssertSameCut(Assert.Single(lossless.Utterances), Assert.Single(run.Utterances));
        Assert.Equal(2, run.Stats.PacketsLate);
        Assert.Equal(Packet, run.Stats.ConcealedSamples);
        Assert.Equal(1, run.Stats.Gaps);
    }

    [Fact]
    public void Timestamp_wrap_inside_the_speech_keeps_the_clock_and_conceals_across_it()
    {
        // The 32-bit timestamp wraps 1.2 s in, with the packet right at the wrap lost.
        const int wrapPacket = 60;
        var first = unchecked((uint)(0u - wrapPacket * Packet));
        var reference = Listen(Speech(0.7, 1.2, 0.8, seed: 85).Where((p, i) => Keep(p, i != wrapPacket)));
        var wrapped = Listen(Speech(0.7, 1.2, 0.8, seed: 85, firstTimestamp: first).Where((p, i) => Keep(p, i != wrapPacket)));

        Describe("reference", reference);
        Describe("wrapped", wrapped);
        var expected = Assert.Single(reference.Utterances);
        var actual = Assert.Single(wrapped.Utterances);
        // Same packets, same decoder: identical to the sample.
        Assert.Equal(expected, actual);
        Assert.Equal(Packet, wrapped.Stats.ConcealedSamples);
        Assert.Equal(0, wrapped.Stats.PacketsLate);
        Assert.InRange(actual.Start, 0.7 - 0.3, 0.7 + 0.1);
    }

    [Fact]
    public void Gap_longer_than_the_conceal_limit_ends_the_utterance_and_the_speech_after_it_keeps_its_time()
    {
        var options = new VoiceOptions { MaxConcealMilliseconds = 100 };
        var lossless = Listen(Speech(1.0, 2.6, 1.0, seed: 87), options);
        // One second lost in the middle of the speech: packets 90-139 (1.8-2.8 s).
        var run = Listen(Speech(1.0, 2.6, 1.0, seed: 87).Where((p, i) => Keep(p, i is < 90 or >= 140)), options);

        Describe("lossless", lossless);
        Describe("gap", run);
        var whole = Assert.Single(lossless.Utterances);
        Assert.Equal(2, run.Utterances.Count);
        var (before, after) = (run.Utterances[0], run.Utterances[1]);
        // The first part ends within the concealed 100 ms after the loss began, as after a pause.
        Assert.Equal(UtteranceEnd.Silence, before.Reason);
        Assert.InRange(before.Start, whole.Start - Tolerance, whole.Start + Tolerance);
        Assert.InRange(before.End, 1.8 - Tolerance, 1.8 + 0.1 + Tolerance);
        // The speech after the gap is placed by its timestamps, not spliced onto the first part.
        Assert.InRange(after.Start, 2.8 - 0.02, 2.8 + 0.1);
        Assert.InRange(after.End, whole.End - Tolerance, whole.End + Tolerance);
        Assert.Equal(100 * 48, run.Stats.ConcealedSamples);
        Assert.Equal(50 * Packet - 100 * 48, run.Stats.SilencedSamples);
        Assert.Equal(1, run.Stats.Gaps);
    }

    [Fact]
    public void Gap_shorter_than_the_hangover_but_past_the_conceal_limit_stays_inside_one_utterance()
    {
        var options = new VoiceOptions { MaxConcealMilliseconds = 60 };
        var lossless = Listen(Speech(1.0, 2.0, 1.0, seed: 89), options);
        // 300 ms lost (packets 80-94), less than the 600 ms hangover.
        var run = Listen(Speech(1.0, 2.0, 1.0, seed: 89).Where((p, i) => Keep(p, i is < 80 or >= 95)), options);

        Describe("lossless", lossless);
        Describe("gap", run);
        AssertSameCut(Assert.Single(lossless.Utterances), Assert.Single(run.Utterances));
        Assert.Equal(15 * Packet - 60 * 48, run.Stats.SilencedSamples);
    }

    [Fact]
    public void Media_time_is_the_first_arrival_plus_the_timestamp_advance_whatever_later_packets_arrival()
    {
        var lossless = Listen(Speech(0.8, 1.0, 0.8, seed: 93));
        // The first packet is undecodable and arrives at 5 s; the rest arrive in bursts, late and jittered.
        var packets = Speech(0.8, 1.0, 0.8, seed: 93, firstTimestamp: 123_456);
        // Code 3 packets must say how many frames follow; this one does not (RFC 6716 3.2.5).
        packets.Insert(0, EncodedFrame.CopyAudio([0x03], 123_456 - Packet));
        var run = Listen(packets, arrival: i => 5.0 + (i / 10) * 0.3 + (i % 3) * 0.011);

        Describe("lossless", lossless);
        Describe("jittered", run);
        var expected = Assert.Single(lossless.Utterances);
        var actual = Assert.Single(run.Utterances);
        // The audio starts one packet after the clock's first packet, which set the origin at 5 s.
        Assert.Equal(5.0 + 0.02 + expected.Start, actual.Start, 9);
        Assert.Equal(5.0 + 0.02 + expected.End, actual.End, 9);
        Assert.Equal(0, run.Stats.ConcealedSamples);
        Assert.Equal(0, run.Stats.Gaps);
    }

    private static bool Keep(EncodedFrame packet, bool keep)
    {
        if (!keep) packet.Dispose();
        return keep;
    }
}
