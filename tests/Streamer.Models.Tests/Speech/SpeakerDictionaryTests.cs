using Streamer.Models.Speech;
using Streamer.Models.Tests.Fixtures;
using Streamer.Models.Tests.Qwen25Omni;
using Streamer.Models.Weights;
using static TorchSharp.torch;

namespace Streamer.Models.Tests.Speech;

public sealed class SpeakerDictionaryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("spk-dict-").FullName;

    public static TheoryData<string, string> EndToEndCases => FixtureData.Case("e2e_generate");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [MemberData(nameof(EndToEndCases))]
    public void Load_reads_each_voice_from_the_converted_dictionary(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        using var scope = NewDisposeScope();
        var (cond, refMel, bos) = (c.Input("speaker_cond"), c.Input("speaker_ref_mel"), c.Input("speaker_bos_token"));
        // A second voice stored the way some dictionaries keep it: 1-D cond, 2-D ref_mel, a 0-dim token.
        SafeTensorsTestWriter.Write(Path.Combine(_dir, SpeakerDictionary.FileName),
        [
            ("Chelsie/cond", cond), ("Chelsie/ref_mel", refMel), ("Chelsie/bos_token", bos),
            ("Ethan/cond", cond[0] * 2), ("Ethan/ref_mel", refMel[0] - 1), ("Ethan/bos_token", tensor(7L)),
        ]);

        using var speakers = SpeakerDictionary.Load(_dir);

        Assert.Equal(["Chelsie", "Ethan"], speakers.Names);
        var chelsie = speakers.Get("Chelsie");
        Assert.Equal(bos.item<long>(), chelsie.BosTokenId);
        ThinkerFixture.AssertClose(cond, chelsie.Cond, "cond", 0);
        ThinkerFixture.AssertClose(refMel, chelsie.ReferenceMel, "ref_mel", 0);
        var ethan = speakers.Get("Ethan");
        Assert.Equal(7, ethan.BosTokenId);
        ThinkerFixture.AssertClose(cond * 2, ethan.Cond, "1-D cond gains its batch axis", 0);
        ThinkerFixture.AssertClose(refMel - 1, ethan.ReferenceMel, "2-D ref_mel gains its batch axis", 0);
    }

    [Theory]
    [MemberData(nameof(EndToEndCases))]
    public void Get_unknown_speaker_lists_the_available_voices(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        using var scope = NewDisposeScope();
        SafeTensorsTestWriter.Write(Path.Combine(_dir, SpeakerDictionary.FileName),
            [("Chelsie/cond", c.Input("speaker_cond")), ("Chelsie/ref_mel", c.Input("speaker_ref_mel")), ("Chelsie/bos_token", c.Input("speaker_bos_token"))]);
        using var speakers = SpeakerDictionary.Load(_dir);

        var error = Assert.Throws<SpeakerNotFoundException>(() => speakers.Get("Ethan"));

        Assert.Equal("Ethan", error.Name);
        Assert.Equal(["Chelsie"], error.Available);
        Assert.Contains("Chelsie", error.Message, StringComparison.Ordinal);
        Assert.False(speakers.TryGet("chelsie", out _));
    }

    [Fact]
    public void Load_rejects_a_voice_missing_its_reference_mel()
    {
        var file = Path.Combine(_dir, "voices.safetensors");
        using var cond = zeros(1, 4);
        using var bos = tensor(new long[] { 3 });
        SafeTensorsTestWriter.Write(file, [("Chelsie/cond", cond), ("Chelsie/bos_token", bos)]);

        Assert.Throws<CheckpointException>(() => SpeakerDictionary.Load(file));
    }

    [Fact]
    public void Load_rejects_a_batched_cond()
    {
        var file = Path.Combine(_dir, "voices.safetensors");
        using var cond = zeros(2, 4);
        using var mel = zeros(1, 3, 5);
        using var bos = tensor(new long[] { 3 });
        SafeTensorsTestWriter.Write(file, [("Chelsie/cond", cond), ("Chelsie/ref_mel", mel), ("Chelsie/bos_token", bos)]);

        Assert.Throws<CheckpointException>(() => SpeakerDictionary.Load(file));
    }

    [Fact]
    public void Load_without_converted_file_names_the_conversion_when_the_pickle_exists()
    {
        File.WriteAllBytes(Path.Combine(_dir, SpeakerDictionary.PickleFileName), [0x80, 0x02]);

        var error = Assert.Throws<FileNotFoundException>(() => SpeakerDictionary.Load(_dir));

        Assert.Equal(Path.Combine(_dir, SpeakerDictionary.FileName), error.FileName);
        Assert.Contains("convert_spk_dict.py", error.Message, StringComparison.Ordinal);
    }
}
