using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Streamer.Media.Tests.Rtsp;

/// <summary>
/// GStreamer's RTSP server (rtsp_server.py) as a child process on 127.0.0.1: /file, /live and
/// /h265 on <see cref="Port"/>, /secure behind Digest on <see cref="SecurePort"/>. Stopped by PID.
/// </summary>
public sealed class RtspTestServer : IDisposable
{
    public const string User = "alice";
    public const string Password = "s3cret-Pa55";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private readonly string _clip;
    private Process? _process;

    public RtspTestServer(string clip)
    {
        _clip = clip;
        Port = FreePort();
        SecurePort = FreePort();
        Start();
    }

    public int Port { get; }

    public int SecurePort { get; }

    public string Url(string path) => $"rtsp://127.0.0.1:{Port}/{path}";

    public string SecureUrl => $"rtsp://127.0.0.1:{SecurePort}/secure";

    public void Start()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Rtsp", "rtsp_server.py");
        var info = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[script, Port.ToString(), SecurePort.ToString(), _clip, User, Password])
        {
            info.ArgumentList.Add(argument);
        }
        var process = Process.Start(info)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        var ready = process.StandardOutput.ReadLineAsync();
        if (!ready.Wait(StartTimeout) || ready.Result != "READY")
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw new InvalidOperationException($"rtsp_server.py did not start: {(ready.IsCompleted ? ready.Result : "timeout")}");
        }
        _process = process;
    }

    /// <summary>Kills the server the way a camera drops: no TEARDOWN, connections reset.</summary>
    public void Stop()
    {
        var process = _process;
        _process = null;
        if (process is null)
        {
            return;
        }
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }
        process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose() => Stop();
}
