using System.Diagnostics;
using Microsoft.Extensions.Options;
using Streamer.Models;
using Streamer.Models.Processing;
using Streamer.Models.Qwen25Omni;
using Streamer.Models.Weights;

namespace Streamer.Server.Models;

/// <summary>
/// Loads the thinker once, in the background at start: the configured folder, else the first
/// Qwen2.5-Omni checkpoint in the Hugging Face cache, else a small random model (with a
/// warning). The server reports ready only once <see cref="Loaded"/> has completed.
/// </summary>
public sealed class ThinkerHost(IOptions<ThinkerOptions> options, ILogger<ThinkerHost> logger) : BackgroundService
{
    private readonly TaskCompletionSource<LoadedThinker> _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the model, or faults with the reason it could not be loaded.</summary>
    public Task<LoadedThinker> Loaded => _loaded.Task;

    /// <summary>The model if it has loaded; null while loading or after a failure.</summary>
    public LoadedThinker? Current => _loaded.Task.IsCompletedSuccessfully ? _loaded.Task.Result : null;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Loading is long and synchronous; keep it off the start-up path so /healthz answers "starting".
        await Task.Yield();
        try
        {
            _loaded.TrySetResult(Load(options.Value));
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "The thinker could not be loaded");
            _loaded.TrySetException(ex);
            throw;
        }
    }

    private LoadedThinker Load(ThinkerOptions settings)
    {
        var device = settings.Llm;
        var vision = settings.Vision;
        var folder = settings.Path;
        if (string.IsNullOrEmpty(folder) && settings.SearchHuggingFaceCache)
        {
            var hubs = HuggingFaceCache.HubFolders(Environment.GetEnvironmentVariable);
            foreach (var repository in HuggingFaceCache.ThinkerRepositories)
            {
                if (HuggingFaceCache.FindSnapshot(repository, hubs) is { } found)
                {
                    logger.LogInformation("Found {Repository} in the Hugging Face cache at {Folder}", repository, found);
                    folder = found;
                    break;
                }
            }
        }
        if (string.IsNullOrEmpty(folder))
        {
            logger.LogWarning(
                "NO MODEL CHECKPOINT CONFIGURED: answering with a small RANDOM Qwen2.5-Omni thinker on {Device}. " +
                "Answers are meaningless. Set Models:Thinker:Path to a Qwen2.5-Omni folder or download Qwen/Qwen2.5-Omni-3B into the Hugging Face cache.",
                settings.Device);
            return RandomThinker.Create(device, settings.RandomSeed, vision);
        }
        return LoadCheckpoint(folder, device, vision);
    }

    private LoadedThinker LoadCheckpoint(string folder, ModelDeviceOptions device, ModelDeviceOptions vision)
    {
        var started = Stopwatch.GetTimestamp();
        var bytes = new DirectoryInfo(folder).EnumerateFiles("*.safetensors").Sum(f => f.Length);
        logger.LogInformation("Loading the thinker from {Folder}: {Gigabytes:F1} GB of weights onto {Device} (vision encoder on {VisionDevice}) as {DType}",
            folder, bytes / 1e9, device.Device, vision.Device, device.DType);
        var config = Qwen25OmniConfig.Load(folder).ThinkerConfig;
        var tokenizer = Qwen2Tokenizer.FromFolder(folder);
        logger.LogInformation("Thinker config and tokenizer read ({Layers} layers, vocabulary {Vocab}); loading weights",
            config.TextConfig.NumHiddenLayers, config.TextConfig.VocabSize);
        using var checkpoint = SafeTensorsCheckpoint.Open(folder);
        var thinker = Qwen25OmniThinker.Load(config, checkpoint, device, vision);
        var name = System.IO.Path.GetFileName(folder.TrimEnd(System.IO.Path.DirectorySeparatorChar));
        if (folder.Contains("models--", StringComparison.Ordinal))
        {
            // A cache snapshot's own name is a revision hash; the repository names the model.
            var repo = folder[(folder.IndexOf("models--", StringComparison.Ordinal) + 8)..].Split(System.IO.Path.DirectorySeparatorChar)[0];
            name = repo.Replace("--", "/", StringComparison.Ordinal);
        }
        logger.LogInformation("Thinker {Name} loaded in {Seconds:F1} s", name, Stopwatch.GetElapsedTime(started).TotalSeconds);
        return new LoadedThinker(thinker, tokenizer, name, isRandom: false, device.Device) { Folder = folder };
    }

    public override void Dispose()
    {
        Current?.Dispose();
        base.Dispose();
    }
}
