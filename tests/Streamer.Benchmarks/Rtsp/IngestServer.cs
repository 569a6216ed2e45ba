using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Streamer.Benchmarks.Rtsp;

/// <summary>
/// GStreamer's RTSP server as a child process on 127.0.0.1, serving mp4 files as they are
/// (<c>filesrc ! qtdemux ! h264parse ! rtph264pay</c>, SPS/PPS before every IDR, as cameras
/// send them) at their own frame rate. Every client gets its own pipeline, so each pulling
/// camera starts at the beginning of the file. Stopped by PID.
/// </summary>
public sealed class IngestServer : IDisposable
{
    // Given to /usr/bin/python3 -c: argv[1] is the port, then one PATH=FILE per mount.
    private const string Script = """
        import sys
        import gi
        gi.require_version("Gst", "1.0")
        gi.require_version("GstRtspServer", "1.0")
        from gi.repository import GLib, Gst, GstRtspServer
        Gst.init(None)
        server = GstRtspServer.RTSPServer()
        server.set_address("127.0.0.1")
        server.set_service(sys.argv[1])
        mounts = server.get_mount_points()
        for mount in sys.argv[2:]:
            path, clip = mount.split("=", 1)
            factory = GstRtspServer.RTSPMediaFactory()
            factory.set_launch("( filesrc location=\"" + clip + "\" ! qtdemux ! h264parse"
                               " ! rtph264pay name=pay0 pt=96 config-interval=-1 )")
            mounts.add_factory(path, factory)
        if server.attach(None) == 0:
            print("FAILED to bind", flush=True)
            sys.exit(1)
        print("READY", flush=True)
        GLib.MainLoop().run()
        """;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private readonly Process _process;

    /// <param name="mounts">Path (without the slash) to mp4 file.</param>
    public IngestServer(IReadOnlyDictionary<string, string> mounts)
    {
        Port = FreePort();
        var info = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(Script);
        info.ArgumentList.Add(Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (path, file) in mounts)
        {
            info.ArgumentList.Add($"/{path}={file}");
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("/usr/bin/python3 did not start.");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        var ready = process.StandardOutput.ReadLineAsync();
        if (!ready.Wait(StartTimeout) || ready.Result != "READY")
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw new InvalidOperationException(
                $"GStreamer's RTSP server did not start ({(ready.IsCompleted ? ready.Result : "timeout")}); it needs gir1.2-gst-rtsp-server-1.0 and python3-gi.");
        }
        _process = process;
    }

    public int Port { get; }

    public string Url(string path) => $"rtsp://127.0.0.1:{Port}/{path}";

    /// <summary>CPU time (user and system, all threads) the server process has used so far.</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }
}
