namespace Streamer.Server.Client;

public sealed class ClientOptions
{
    public const string Section = "Client";

    /// <summary>
    /// Folder of the built web client (the one holding index.html); relative to the content
    /// root. Unset: the first <c>client-web/dist</c> found in the content root, the server's
    /// own folder, or a folder above either (a checkout after <c>scripts/build-client.sh</c>).
    /// </summary>
    public string? Path { get; set; }

    /// <summary>False serves no client at all (an API-only deployment).</summary>
    public bool Enabled { get; set; } = true;
}
