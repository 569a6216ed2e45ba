using Streamer.Models.Generation;
using Streamer.Models.Qwen25Omni;
using Streamer.Models.Speech;
using Streamer.Models.Tests.Fixtures;
using Streamer.Models.Tests.Qwen25Omni;
using static TorchSharp.torch;

namespace Streamer.Models.Tests.Speech;

public sealed class SpeechSynthesizerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("speech-").FullName;

    public static TheoryData<string, string> EndToEndCases => FixtureData.Case("e2e_generate");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [Trait("Category", "Parity")]
    [MemberData(nameof(EndToEndCases))]
    public void Token2Wav_speech_from_thinker_reply_equals_reference_end_to_end_waveform(string folder, string caseName)
    {
        using var e2e = FixtureCase.Open(folder, caseName);
        using var parts = Parts.Load(folder, e2e, _dir);
        using var scope = NewDisposeScope();
        var fixedLength = new TalkerGenerationOptions { MaxNewTokens = 12, MinNewTokens = 12 };
        var synthesizer = parts.Synthesizer(new SpeechSynthesizerOptions { Talker = fixedLength });

        var chunks = new List<Token2WavAudioChunk>();
        foreach (var chunk in synthesizer.SynthesizeAsync(parts.Reply(e2e), "Chelsie", noise: e2e.Input("noise")).ToBlockingEnumerable())
        {
            chunks.Add(chunk);
        }

        Assert.True(chunks[^1].IsLast);
        Token2WavFixture.AssertRelativelyClose(e2e.Output("waveform"), StreamingToken2WavTests.Concat(chunks), "spoken e2e waveform");
    }

    [Theory]
    [MemberData(nameof(EndToEndCases))]
    public void Interrupt_stops_speech_after_the_chunk_in_hand(string folder, string caseName)
    {
        using var e2e = FixtureCase.Open(folder, caseName);
        using var parts = Parts.Load(folder, e2e, _dir);
        using var scope = NewDisposeScope();
        var dit = parts.Token2Wav.Config.DitConfig;
        // A long answer (no stop before 100 codes) in three-step chunks of the reference size.
        var synthesizer = parts.Synthesizer(new SpeechSynthesizerOptions
        {
            Talker = new TalkerGenerationOptions { MaxNewTokens = 100, MinNewTokens = 100 },
            Streaming = StreamingToken2WavOptions.Reference(dit) with { Steps = 3 },
            NoiseFrames = 256,
        });
        using var interrupt = new CancellationTokenSource();
        var received = new List<Token2WavAudioChunk>();

        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (var chunk in synthesizer.SynthesizeAsync(parts.Reply(e2e), "Chelsie", seed: 3, cancellationToken: interrupt.Token).ToBlockingEnumerable())
            {
                received.Add(chunk);
                interrupt.Cancel();
            }
        });

        // 100 codes would make 4 chunks; the interrupt after the first lets no further one out.
        Assert.Single(received);
        Assert.False(received[0].IsLast);
    }

    [Theory]
    [MemberData(nameof(EndToEndCases))]
    public void Unknown_speaker_fails_before_any_audio(string folder, string caseName)
    {
        using var e2e = FixtureCase.Open(folder, caseName);
        using var parts = Parts.Load(folder, e2e, _dir);
        using var scope = NewDisposeScope();

        var error = Assert.Throws<SpeakerNotFoundException>(() =>
        {
            foreach (var _ in parts.Synthesizer(null).SynthesizeAsync(parts.Reply(e2e), "Ethan").ToBlockingEnumerable())
            {
            }
        });
        Assert.Equal(["Chelsie"], error.Available);
    }

    [Theory]
    [MemberData(nameof(EndToEndCases))]
    public void Without_token2wav_speech_is_unavailable(string folder, string caseName)
    {
        using var e2e = FixtureCase.Open(folder, caseName);
        using var parts = Parts.Load(folder, e2e, _dir);
        using var scope = NewDisposeScope();
        var textOnly = new SpeechSynthesizer(parts.Thinker, parts.Talker, null, parts.Speakers);

        Assert.False(textOnly.IsAvailable);
        Assert.True(parts.Synthesizer(null).IsAvailable);
        Assert.Throws<SpeechUnavailableException>(() =>
        {
            foreach (var _ in textOnly.SynthesizeAsync(parts.Reply(e2e), "Chelsie").ToBlockingEnumerable())
            {
            }
        });
    }

    [Theory]
    [MemberData(nameof(EndToEndCases))]
    public void LoadToken2Wav_without_token2wav_weights_or_config_is_unavailable(string folder, string caseName)
    {
        _ = caseName;
        var config = File.ReadAllText(Path.Combine(folder, Qwen25OmniConfig.FileName));
        var noWeights = Directory.CreateDirectory(Path.Combine(_dir, "no-weights")).FullName;
        File.WriteAllText(Path.Combine(noWeights, Qwen25OmniConfig.FileName), config);
        using (var talkerOnly = ones(2))
        {
            SafeTensorsTestWriter.Write(Path.Combine(noWeights, "model.safetensors"), [("talker.codec_head.weight", talkerOnly)]);
        }
        var noConfig = Directory.CreateDirectory(Path.Combine(_dir, "no-config")).FullName;
        var json = System.Text.Json.Nodes.JsonNode.Parse(config)!.AsObject();
        Assert.True(json.Remove("token2wav_config"));
        File.WriteAllText(Path.Combine(noConfig, Qwen25OmniConfig.FileName), json.ToJsonString());
        File.Copy(Path.Combine(folder, "model.safetensors"), Path.Combine(noConfig, "model.safetensors"));

        Assert.Throws<SpeechUnavailableException>(() => SpeechSynthesizer.LoadToken2Wav(noWeights));
        Assert.Throws<SpeechUnavailableException>(() => SpeechSynthesizer.LoadToken2Wav(noConfig));
        using var loaded = SpeechSynthesizer.LoadToken2Wav(folder);
        Assert.Equal(Token2WavFixture.Config(folder).DitConfig.NumEmbeds, loaded.Config.DitConfig.NumEmbeds);
    }

    /// <summary>The fixture's thinker, talker, token2wav and a dictionary holding its one voice.</summary>
    internal sealed class Parts : IDisposable
    {
        private Parts(Qwen25OmniThinker thinker, Qwen25OmniTalker talker, Qwen25OmniToken2Wav token2wav, SpeakerDictionary speakers, string folder)
        {
            (Thinker, Talker, Token2Wav, Speakers, Folder) = (thinker, talker, token2wav, speakers, folder);
        }

        public Qwen25OmniThinker Thinker { get; }

        public Qwen25OmniTalker Talker { get; }

        public Qwen25OmniToken2Wav Token2Wav { get; }

        public SpeakerDictionary Speakers { get; }

        public string Folder { get; }

        public static Parts Load(string folder, FixtureCase e2e, string scratch)
        {
            using (NewDisposeScope())
            {
                SafeTensorsTestWriter.Write(Path.Combine(scratch, SpeakerDictionary.FileName),
                [
                    ("Chelsie/cond", e2e.Input("speaker_cond")),
                    ("Chelsie/ref_mel", e2e.Input("speaker_ref_mel")),
                    ("Chelsie/bos_token", e2e.Input("speaker_bos_token")),
                ]);
            }
            return new Parts(ThinkerFixture.Load(folder), TalkerFixture.Load(folder), Token2WavFixture.LoadToken2Wav(folder),
                SpeakerDictionary.Load(scratch), folder);
        }

        public SpeechSynthesizer Synthesizer(SpeechSynthesizerOptions? options) =>
            new(Thinker, Talker, Token2Wav, Speakers, options);

        /// <summary>The thinker's reply to the e2e prompt: its generated tokens and one uncached pass for the hidden states.</summary>
        public ThinkerReply Reply(FixtureCase e2e)
        {
            using var promptCase = FixtureCase.Open(Folder, e2e.Inputs["input_ids"].Key.Split('/')[0]);
            var ids = e2e.Input("input_ids");
            var length = ids.shape[1];
            var sequence = e2e.Output("sequences");
            var fed = sequence.narrow(1, length, sequence.shape[1] - length - 1);
            var (positions, deltas) = ThinkerParityTests.ComputeRopeIndex(promptCase, Thinker.Config);
            var promptEmbeds = promptCase.Output("inputs_embeds");
            var embeds = cat([promptEmbeds, Thinker.Embed(fed)], 1);
            var allPositions = cat([positions, Qwen25OmniRopeIndex.DecodePositions(deltas, length, fed.shape[1])], 2);
            var output = Thinker.forward(null, embeds, allPositions, null, null, logitsToKeep: 1);
            var hidden = output.LastHiddenState;
            return new ThinkerReply(ids, promptEmbeds, hidden.narrow(1, 0, length), fed, hidden.narrow(1, length, fed.shape[1]))
            {
                AttentionMask = e2e.Input("attention_mask"),
                VideoGridThw = e2e.Input("video_grid_thw"),
                SecondPerGrids = e2e.Input("video_second_per_grid"),
            };
        }

        public void Dispose()
        {
            Thinker.Dispose();
            Talker.Dispose();
            Token2Wav.Dispose();
            Speakers.Dispose();
        }
    }
}
