namespace Streamer.Server.Telemetry;

public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>When true, <c>GET /metrics</c> requires a bearer token like every API.</summary>
    public bool RequireToken { get; set; }

    public string Path { get; set; } = "/metrics";
}
