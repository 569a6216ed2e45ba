using System.Diagnostics;
using System.Globalization;
using Streamer.Media.Interceptors;
using Streamer.Media.WebRtc;
using Streamer.Models;
using Streamer.Models.Generation;
using Streamer.Models.Qwen25Omni;
using Streamer.Server.Models;
using Streamer.Server.Speech;
using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Benchmarks.Speech;

/// <summary>
/// <c>spoken-answer [runs] [codes] [threads]</c>: the server's speech path on the CPU with the random
/// model (the random thinker and the random talker and token2wav made to fit it). Two figures:
/// <list type="bullet">
/// <item>first token to first packet: the thinker streams an answer into a <see cref="TalkerReplyFeed"/>
/// while the talker, streaming token2wav and a real <see cref="AudioSender"/> (resampler, libopus, RTP)
/// speak it; the time from the thinker's first text token to the first RTP packet handed to the wire.</item>
/// <item>real-time factor: talker + token2wav (DiT and BigVGAN) for <c>codes</c> codes, alone, divided by
/// the seconds of audio they make.</item>
/// </list>
/// Each figure is the median of <c>runs</c> runs after one warm-up.
/// </summary>
public static class SpokenAnswerBenchmark
{
    public const string Mode = "spoken-answer";

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var runs = args.Count > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
        var codes = args.Count > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 150;
        var threads = args.Count > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1;
        torch.set_num_threads(threads);
        using var thinker = RandomThinker.Create(ModelDeviceOptions.Cpu, 1234);
        var options = new SpeechOptions { MaxCodes = codes, NoiseFrames = 2 * codes + 64 };
        using var speech = RandomSpeech.Create(thinker, ModelDeviceOptions.Cpu, ModelDeviceOptions.Cpu, options, 1234);
        var seconds = (double)codes * speech.Repeats * speech.HopLength / Token2WavAudioChunk.SampleRate;

        var firstPacket = new List<double>();
        var rtf = new List<double>();
        for (var run = 0; run <= runs; run++)
        {
            var latency = await FirstPacketAsync(thinker, speech, run);
            var factor = RealTimeFactor(thinker, speech, run) / seconds;
            if (run == 0) continue;
            firstPacket.Add(latency);
            rtf.Add(factor);
        }
        Console.WriteLine($"{Mode}: random model on CPU, {threads} libtorch thread(s), {codes} codes = {seconds:F2} s of speech, median of {runs} runs");
        Console.WriteLine($"  first text token -> first audio packet: {Median(firstPacket):F0} ms (min {firstPacket.Min():F0}, max {firstPacket.Max():F0})");
        Console.WriteLine($"  real-time factor talker + token2wav (DiT + BigVGAN): {Median(rtf):F2} (min {rtf.Min():F2}, max {rtf.Max():F2})");
        return 0;
    }

    private static async Task<double> FirstPacketAsync(LoadedThinker thinker, LoadedSpeech speech, int run)
    {
        var wire = new FirstPacketWriter();
        using var sender = new AudioSender(new AudioSenderOptions(), 1, 111, wire, TimeProvider.System);
        using var stop = new CancellationTokenSource();
        var sending = sender.RunAsync(stop.Token);
        using var feed = new TalkerReplyFeed(thinker.Thinker);
        var question = thinker.Tokenizer.Encode($"<|im_start|>user\nWhat happened in the video, run {run}?<|im_end|>\n<|im_start|>assistant\n");
        using var ids = tensor(question.Select(i => (long)i).ToArray(), [1, question.Count]);
        using var prompt = ThinkerPrompt.OwnedText(thinker.Thinker.Config, ids);
        using var cache = new KvCache(thinker.Thinker.Config.TextConfig.NumHiddenLayers);
        long firstToken = 0;

        var speaking = Task.Run(async () =>
        {
            await foreach (var chunk in speech.Synthesizer.SynthesizeAsync(feed, speech.DefaultSpeaker, seed: run))
            {
                await sender.EnqueueAsync(chunk.Samples, chunk.IsLast);
            }
        });
        var generation = new GenerationOptions { MaxNewTokens = 200, StopTokenIds = thinker.StopTokenIds };
        await Task.Run(async () =>
        {
            await foreach (var _ in new ThinkerGenerator(thinker.Thinker).StreamAsync(prompt.Prompt, generation, cache, feed))
            {
                if (firstToken == 0) firstToken = Stopwatch.GetTimestamp();
            }
        });
        await speaking;
        while (wire.At == 0) await Task.Delay(1);
        await stop.CancelAsync();
        await sending;
        return Stopwatch.GetElapsedTime(firstToken, wire.At).TotalMilliseconds;
    }

    /// <summary>Seconds for the talker and token2wav alone over a finished reply (the thinker's work excluded).</summary>
    private static double RealTimeFactor(LoadedThinker thinker, LoadedSpeech speech, int run)
    {
        using var feed = new TalkerReplyFeed(thinker.Thinker);
        using (NewDisposeScope())
        {
            var width = thinker.Thinker.Config.TextConfig.HiddenSize;
            var generator = new Generator((ulong)run);
            var promptIds = tensor(Enumerable.Range(40, 24).Select(i => (long)i).ToArray(), [1, 24]);
            feed.SetPrompt(promptIds, thinker.Thinker.Embed(promptIds), randn([1, 24, width], generator: generator));
            for (var i = 0; i < 40; i++) feed.Append(65 + i % 26, randn([1, 1, width], generator: generator));
            feed.Complete();
        }
        var clock = Stopwatch.StartNew();
        foreach (var _ in speech.Synthesizer.SynthesizeAsync(feed, speech.DefaultSpeaker, seed: run).ToBlockingEnumerable())
        {
        }
        return clock.Elapsed.TotalSeconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private sealed class FirstPacketWriter : IRtpWriter
    {
        public long At;

        public void Write(ReadOnlySpan<byte> packet)
        {
            if (At == 0) At = Stopwatch.GetTimestamp();
        }
    }
}
