namespace Streamer.Server.Health;

/// <summary>Becomes ready once the host has started and every start-up check has passed.</summary>
public sealed class Readiness
{
    private volatile bool _ready;

    public bool IsReady => _ready;

    public void MarkReady() => _ready = true;
}
