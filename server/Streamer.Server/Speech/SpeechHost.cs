using Microsoft.Extensions.Options;
using Streamer.Models.Qwen25Omni;
using Streamer.Models.Speech;
using Streamer.Models.Weights;
using Streamer.Server.Models;

namespace Streamer.Server.Speech;

/// <summary>
/// Loads what speaks the answers once the thinker is loaded: the talker from the thinker's
/// checkpoint, token2wav and the speaker dictionary from <see cref="Token2WavOptions.Path"/> or the
/// same checkpoint; with the random thinker, a random talker and token2wav (<see cref="RandomSpeech"/>).
/// Anything missing is logged and leaves speech unavailable with the reason, which every answer's
/// metadata then carries; text answers work regardless.
/// </summary>
public sealed class SpeechHost(
    ThinkerHost thinkers,
    IOptions<SpeechOptions> options,
    IOptions<TalkerOptions> talkerOptions,
    IOptions<Token2WavOptions> token2wavOptions,
    ILogger<SpeechHost> logger) : BackgroundService
{
    private readonly TaskCompletionSource<LoadedSpeech?> _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile string _status = "loading";

    /// <summary>Completes with the speech models, or null when speech is off or unavailable (see <see cref="Status"/>).</summary>
    public Task<LoadedSpeech?> Loaded => _loaded.Task;

    public LoadedSpeech? Current => _loaded.Task.IsCompletedSuccessfully ? _loaded.Task.Result : null;

    /// <summary>"loading", "ready", "off" or "unavailable: reason".</summary>
    public string Status => _status;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LoadedThinker thinker;
        try
        {
            thinker = await thinkers.Loaded.WaitAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Finish(null, "unavailable: the thinker failed to load");
            return;
        }
        catch (OperationCanceledException)
        {
            Finish(null, "unavailable: the server is stopping");
            return;
        }
        if (!options.Value.Enabled)
        {
            Finish(null, "off (Speech:Enabled is false)");
            return;
        }
        try
        {
            var speech = Load(thinker);
            logger.LogInformation("Speech ready: voices {Voices}, default {Speaker}", string.Join(", ", speech.Speakers.Names), speech.DefaultSpeaker);
            Finish(speech, "ready");
        }
        catch (Exception ex) when (ex is SpeechUnavailableException or FileNotFoundException or CheckpointException or InvalidDataException or SpeakerNotFoundException)
        {
            logger.LogWarning("Speech is unavailable, answers are text only: {Reason}", ex.Message);
            Finish(null, "unavailable: " + TextOnly(ex.Message));
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Speech failed to load; answers are text only");
            Finish(null, "unavailable: " + TextOnly(ex.Message));
        }
    }

    private static string TextOnly(string reason) =>
        reason.Contains("text only", StringComparison.Ordinal) ? reason : reason.TrimEnd('.') + "; answers are text only";

    private void Finish(LoadedSpeech? speech, string status)
    {
        _status = status;
        _loaded.TrySetResult(speech);
    }

    private LoadedSpeech Load(LoadedThinker thinker)
    {
        var settings = options.Value;
        var token2wavFolder = string.IsNullOrWhiteSpace(token2wavOptions.Value.Path) ? thinker.Folder : token2wavOptions.Value.Path;
        LoadedSpeech speech;
        if (thinker.IsRandom && token2wavFolder is null)
        {
            logger.LogWarning("Speech runs on a small RANDOM talker and token2wav: it sounds like noise");
            speech = RandomSpeech.Create(thinker, talkerOptions.Value.Placement, token2wavOptions.Value.Placement, settings, settings.Seed);
        }
        else
        {
            speech = LoadCheckpoint(thinker, token2wavFolder!, settings);
        }
        if (!speech.Speakers.TryGet(speech.DefaultSpeaker, out _))
        {
            var names = speech.Speakers.Names;
            speech.Dispose();
            throw new SpeakerNotFoundException($"Speech:Speaker '{settings.Speaker}' is not in the speaker dictionary; available: {string.Join(", ", names)}");
        }
        return speech;
    }

    private LoadedSpeech LoadCheckpoint(LoadedThinker thinker, string token2wavFolder, SpeechOptions settings)
    {
        Qwen25OmniTalker talker;
        if (thinker.IsRandom)
        {
            talker = new Qwen25OmniTalker(RandomSpeech.TalkerConfig(thinker.Thinker.Config));
            talker.Place(talkerOptions.Value.Placement);
            talker.eval();
        }
        else
        {
            var folder = thinker.Folder!;
            var talkerConfig = Qwen25OmniConfig.Load(folder).TalkerConfig
                ?? throw new SpeechUnavailableException($"{folder}: config.json has no talker_config; answers are text only");
            using var checkpoint = SafeTensorsCheckpoint.Open(folder);
            if (!checkpoint.Keys.Any(k => k.StartsWith(Qwen25OmniTalker.CheckpointPrefix, StringComparison.Ordinal)))
                throw new SpeechUnavailableException($"{folder}: the checkpoint holds no {Qwen25OmniTalker.CheckpointPrefix}* weights; answers are text only");
            talker = Qwen25OmniTalker.Load(talkerConfig, checkpoint, talkerOptions.Value.Placement);
        }
        Qwen25OmniToken2Wav? token2wav = null;
        try
        {
            token2wav = SpeechSynthesizer.LoadToken2Wav(token2wavFolder, token2wavOptions.Value.Placement);
            var speakers = SpeakerDictionary.Load(token2wavFolder);
            try
            {
                return new LoadedSpeech(thinker, talker, token2wav, speakers, settings);
            }
            catch
            {
                speakers.Dispose();
                throw;
            }
        }
        catch
        {
            talker.Dispose();
            token2wav?.Dispose();
            throw;
        }
    }

    public override void Dispose()
    {
        Current?.Dispose();
        base.Dispose();
    }
}
