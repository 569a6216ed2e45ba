using Streamer.Server.Client;

namespace Streamer.Server.Tests.Client;

public sealed class ClientFolderTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("streamer-client-folder-").FullName;

    private string MakeDir(params string[] parts)
    {
        var path = Path.Combine([_root, .. parts]);
        Directory.CreateDirectory(path);
        return path;
    }

    [Fact]
    public void Finds_the_built_client_in_a_folder_above_the_content_root()
    {
        var dist = MakeDir("client-web", "dist");
        File.WriteAllText(Path.Combine(dist, "index.html"), "<!doctype html>");
        var contentRoot = MakeDir("server", "Streamer.Server");

        Assert.Equal(dist, ClientFolder.Resolve(null, contentRoot));
    }

    [Fact]
    public void Falls_back_to_the_folders_above_the_server_binary()
    {
        var dist = MakeDir("checkout", "client-web", "dist");
        File.WriteAllText(Path.Combine(dist, "index.html"), "<!doctype html>");
        var contentRoot = MakeDir("elsewhere");
        var binary = MakeDir("checkout", "artifacts", "server");

        Assert.Equal(dist, ClientFolder.Resolve(" ", contentRoot, binary));
    }

    [Fact]
    public void An_unbuilt_client_folder_is_not_found()
    {
        MakeDir("client-web", "dist");
        var contentRoot = MakeDir("server");

        Assert.Null(ClientFolder.Resolve(null, contentRoot));
    }

    [Fact]
    public void A_configured_relative_path_is_taken_from_the_content_root_even_when_missing()
    {
        var contentRoot = MakeDir("server");

        Assert.Equal(Path.Combine(contentRoot, "web"), ClientFolder.Resolve("web", contentRoot));
        Assert.Equal(Path.Combine(_root, "ui"), ClientFolder.Resolve(Path.Combine(_root, "ui"), contentRoot));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
