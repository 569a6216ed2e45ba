using Microsoft.Extensions.Options;
using Streamer.Models;

namespace Streamer.Server.Models;

/// <summary>Validates <c>Models:Thinker</c> at start: folder, dtype and every stage's device, each error naming its setting.</summary>
public sealed class ThinkerOptionsValidator(Func<int> cudaDevices) : IValidateOptions<ThinkerOptions>
{
    public ThinkerOptionsValidator() : this(ModelDevice.CudaDevices)
    {
    }

    public ValidateOptionsResult Validate(string? name, ThinkerOptions options)
    {
        var errors = new List<string>();
        if (!string.IsNullOrEmpty(options.Path) && !Directory.Exists(options.Path))
            errors.Add($"{ThinkerOptions.Section}:Path: the folder '{options.Path}' does not exist.");
        try
        {
            _ = new ModelDeviceOptions { DType = options.DType ?? "" }.ScalarType;
        }
        catch (ArgumentException)
        {
            errors.Add($"{ThinkerOptions.Section}:DType: '{options.DType}' is not a dtype; use float32, bfloat16 or float16.");
        }
        var counted = new Lazy<int>(cudaDevices);
        foreach (var (key, device) in options.Devices())
        {
            if (ModelDevice.Problem($"{ThinkerOptions.Section}:{key}", device, () => counted.Value) is { } problem) errors.Add(problem);
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
