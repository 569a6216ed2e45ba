namespace Streamer.Server.Health;

/// <summary>
/// Becomes ready once the host has started and every start-up check has passed; work that
/// finishes after start (loading a model) is added as a prerequisite.
/// </summary>
public sealed class Readiness
{
    private readonly List<Task> _prerequisites = [];
    private volatile bool _ready;

    public bool IsReady
    {
        get
        {
            if (!_ready) return false;
            lock (_prerequisites) return _prerequisites.All(t => t.IsCompletedSuccessfully);
        }
    }

    public void MarkReady() => _ready = true;

    /// <summary>Readiness also waits for <paramref name="task"/> to complete successfully.</summary>
    public void Require(Task task)
    {
        lock (_prerequisites) _prerequisites.Add(task);
    }
}
