using Microsoft.Extensions.Options;

namespace Streamer.Server.Chat;

/// <summary>Fails start-up with the first out-of-range <c>Memory:*</c> setting, named by its key.</summary>
public sealed class MemoryOptionsValidator : IValidateOptions<MemoryOptions>
{
    public ValidateOptionsResult Validate(string? name, MemoryOptions options) =>
        options.Check() is { } error ? ValidateOptionsResult.Fail(error) : ValidateOptionsResult.Success;
}
