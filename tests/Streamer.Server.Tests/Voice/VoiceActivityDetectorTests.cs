using Streamer.Server.Voice;
using Xunit.Abstractions;

namespace Streamer.Server.Tests.Voice;

[Trait("Category", "Voice")]
public sealed class VoiceActivityDetectorTests(ITestOutputHelper output)
{
    private const int Rate = VoiceActivityDetector.SampleRate;

    private static List<VoiceActivityEvent> Run(float[] audio, VoiceOptions? options = null, int chunk = 960 / 3)
    {
        var detector = new VoiceActivityDetector(options ?? new VoiceOptions());
        var events = new List<VoiceActivityEvent>();
        for (var i = 0; i < audio.Length; i += chunk) detector.Process(audio.AsSpan(i, Math.Min(chunk, audio.Length - i)), events);
        detector.Flush(events);
        return events;
    }

    private void Describe(List<VoiceActivityEvent> events)
    {
        foreach (var e in events) output.WriteLine($"{e.Kind} {e.StartSample / (double)Rate:F3}-{e.EndSample / (double)Rate:F3} s {e.End}");
    }

    [Theory]
    [InlineData("white", 30)]
    [InlineData("white", 20)]
    [InlineData("white", 12)]
    [InlineData("pink", 30)]
    [InlineData("pink", 20)]
    [InlineData("pink", 12)]
    public void Speech_burst_in_noise_is_cut_within_tolerance_of_its_true_start_and_end(string noise, double snrDb)
    {
        var speech = SpeechLikeSignal.Voiced(1.6, Rate, seed: 7);
        var audio = SpeechLikeSignal.Place(speech, at: 1.2, total: 4.5, Rate);
        var noiseRms = SpeechLikeSignal.Rms(speech) / Math.Pow(10, snrDb / 20);
        SpeechLikeSignal.Mix(audio, noise == "white"
            ? SpeechLikeSignal.WhiteNoise(audio.Length, noiseRms, seed: 11)
            : SpeechLikeSignal.PinkNoise(audio.Length, noiseRms, seed: 11));

        var events = Run(audio);

        Describe(events);
        Assert.Equal([VoiceActivityKind.SpeechStarted, VoiceActivityKind.Utterance], events.Select(e => e.Kind));
        var utterance = events[1];
        Assert.Equal(UtteranceEnd.Silence, utterance.End);
        // The first syllable rises over 30 ms, the last decays over about 60 ms into noise.
        Assert.InRange(utterance.StartSample / (double)Rate, 1.2 - 0.04, 1.2 + 0.08);
        Assert.InRange(utterance.EndSample / (double)Rate, 2.8 - 0.15, 2.8 + 0.04);
        // The audio handed on starts one pre-roll before the detected start.
        Assert.Equal(200 * Rate / 1000, utterance.StartSample - utterance.SamplesStart);
        Assert.Equal(utterance.EndSample - utterance.SamplesStart, utterance.Samples!.Length);
        Assert.Equal(audio[(int)utterance.SamplesStart], utterance.Samples[0]);
    }

    [Theory]
    [InlineData("white", 0.0005)]
    [InlineData("white", 0.01)]
    [InlineData("white", 0.2)]
    [InlineData("pink", 0.0005)]
    [InlineData("pink", 0.01)]
    [InlineData("pink", 0.2)]
    public void Noise_alone_never_starts_an_utterance(string noise, double rms)
    {
        var length = 6 * Rate;
        var audio = noise == "white" ? SpeechLikeSignal.WhiteNoise(length, rms, seed: 3) : SpeechLikeSignal.PinkNoise(length, rms, seed: 3);

        Assert.Empty(Run(audio));
    }

    [Theory]
    [InlineData("white")]
    [InlineData("pink")]
    public void A_background_that_suddenly_gets_20_dB_louder_is_not_taken_for_speech(string noise)
    {
        var length = 8 * Rate;
        var quiet = noise == "white" ? SpeechLikeSignal.WhiteNoise(length, 0.003, seed: 5) : SpeechLikeSignal.PinkNoise(length, 0.003, seed: 5);
        var loud = noise == "white" ? SpeechLikeSignal.WhiteNoise(length, 0.03, seed: 6) : SpeechLikeSignal.PinkNoise(length, 0.03, seed: 6);
        var audio = quiet.Select((q, i) => i < 3 * Rate ? q : loud[i]).ToArray();

        var events = Run(audio);

        Describe(events);
        Assert.DoesNotContain(events, e => e.Kind == VoiceActivityKind.Utterance);
    }

    [Fact]
    public void A_pause_shorter_than_the_hangover_stays_inside_one_utterance_and_a_longer_one_splits_it()
    {
        var options = new VoiceOptions { HangoverMilliseconds = 600 };
        var first = SpeechLikeSignal.Voiced(0.8, Rate, seed: 21);
        var second = SpeechLikeSignal.Voiced(0.8, Rate, seed: 22);
        float[] Two(double pause)
        {
            var audio = SpeechLikeSignal.Place(first, 0.5, 0.5 + 0.8 + pause + 0.8 + 1.5, Rate);
            second.AsSpan().CopyTo(audio.AsSpan((int)((0.5 + 0.8 + pause) * Rate)));
            return SpeechLikeSignal.Mix(audio, SpeechLikeSignal.WhiteNoise(audio.Length, 0.002, seed: 23));
        }

        var joined = Run(Two(0.35), options).Where(e => e.Kind == VoiceActivityKind.Utterance).ToList();
        var split = Run(Two(0.9), options).Where(e => e.Kind == VoiceActivityKind.Utterance).ToList();

        var one = Assert.Single(joined);
        Assert.InRange(one.DurationSeconds, 1.95 - 0.2, 1.95 + 0.05);
        Assert.Equal(2, split.Count);
        Assert.InRange(split[0].EndSample / (double)Rate, 1.3 - 0.15, 1.3 + 0.04);
        Assert.InRange(split[1].StartSample / (double)Rate, 2.2 - 0.04, 2.2 + 0.08);
    }

    [Fact]
    public void Speech_longer_than_the_maximum_is_cut_at_the_maximum_and_the_rest_until_a_pause_is_ignored()
    {
        var options = new VoiceOptions { MaxUtteranceMilliseconds = 2000 };
        var longSpeech = SpeechLikeSignal.Voiced(5, Rate, seed: 31);
        var later = SpeechLikeSignal.Voiced(1, Rate, seed: 32);
        var audio = SpeechLikeSignal.Place(longSpeech, 0.5, 9, Rate);
        later.AsSpan().CopyTo(audio.AsSpan((int)(6.5 * Rate)));
        SpeechLikeSignal.Mix(audio, SpeechLikeSignal.PinkNoise(audio.Length, 0.002, seed: 33));

        var events = Run(audio, options);

        Describe(events);
        var utterances = events.Where(e => e.Kind == VoiceActivityKind.Utterance).ToList();
        Assert.Equal(2, utterances.Count);
        Assert.Equal(UtteranceEnd.MaxLength, utterances[0].End);
        Assert.Equal(2.0, utterances[0].DurationSeconds, 3);
        // Speech after the cut (0.5 + 2 s to 5.5 s) asks nothing; the next sentence after the pause does.
        Assert.Equal(UtteranceEnd.Silence, utterances[1].End);
        Assert.InRange(utterances[1].StartSample / (double)Rate, 6.5 - 0.04, 6.5 + 0.08);
        Assert.Equal(2, events.Count(e => e.Kind == VoiceActivityKind.SpeechStarted));
    }

    [Fact]
    public void A_click_shorter_than_the_minimum_is_reported_too_short_and_asks_nothing()
    {
        var blip = SpeechLikeSignal.Voiced(0.2, Rate, seed: 41);
        var audio = SpeechLikeSignal.Mix(SpeechLikeSignal.Place(blip, 1, 3, Rate), SpeechLikeSignal.WhiteNoise(3 * Rate, 0.002, seed: 42));

        var events = Run(audio, new VoiceOptions { MinUtteranceMilliseconds = 400 });

        Describe(events);
        Assert.Equal([VoiceActivityKind.SpeechStarted, VoiceActivityKind.TooShort], events.Select(e => e.Kind));
    }

    [Fact]
    public void Digital_silence_then_speech_is_detected_and_chunk_size_does_not_change_the_cut()
    {
        var audio = SpeechLikeSignal.Place(SpeechLikeSignal.Voiced(1.2, Rate, seed: 51), 2, 5, Rate);

        var small = Run(audio, chunk: 7);
        var large = Run(audio, chunk: 48000);

        Assert.Equal(small.Select(e => (e.Kind, e.StartSample, e.EndSample)), large.Select(e => (e.Kind, e.StartSample, e.EndSample)));
        var utterance = Assert.Single(small, e => e.Kind == VoiceActivityKind.Utterance);
        Assert.InRange(utterance.StartSample / (double)Rate, 2 - 0.02, 2 + 0.06);
    }
}
