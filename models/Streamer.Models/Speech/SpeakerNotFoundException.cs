namespace Streamer.Models.Speech;

/// <summary>A session asked for a voice the speaker dictionary does not hold.</summary>
public sealed class SpeakerNotFoundException : KeyNotFoundException
{
    public SpeakerNotFoundException(string name, IReadOnlyList<string> available)
        : base($"unknown speaker '{name}'; available: {(available.Count == 0 ? "none" : string.Join(", ", available))}")
    {
        Name = name;
        Available = available;
    }

    public SpeakerNotFoundException() : this("", [])
    {
    }

    public SpeakerNotFoundException(string message) : base(message)
    {
        Name = "";
        Available = [];
    }

    public SpeakerNotFoundException(string message, Exception innerException) : base(message, innerException)
    {
        Name = "";
        Available = [];
    }

    public string Name { get; }

    public IReadOnlyList<string> Available { get; }
}
