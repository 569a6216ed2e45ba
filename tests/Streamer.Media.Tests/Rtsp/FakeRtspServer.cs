using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Streamer.Media.Tests.Rtsp;

/// <summary>
/// A scripted RTSP server on 127.0.0.1: for each request it calls <c>reply(method, cseq)</c>
/// and sends back the text (raw, so it can be broken on purpose); null sends nothing, and
/// "CLOSE" closes the connection.
/// </summary>
internal sealed partial class FakeRtspServer : IAsyncDisposable
{
    public const string Close = "CLOSE";

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<string, int, string?> _reply;
    private readonly List<Task> _connections = [];
    private readonly Task _accept;

    public FakeRtspServer(Func<string, int, string?> reply)
    {
        _reply = reply;
        _listener.Start();
        _accept = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Url => $"rtsp://127.0.0.1:{Port}/stream";

    public List<string> Requests { get; } = [];

    public static string Ok(int cseq, string headers = "", string body = "") =>
        $"RTSP/1.0 200 OK\r\nCSeq: {cseq}\r\n{headers}" + (body.Length > 0 ? $"Content-Length: {Encoding.ASCII.GetByteCount(body)}\r\n\r\n{body}" : "\r\n");

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                lock (_connections)
                {
                    _connections.Add(ServeAsync(client));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var buffer = new byte[8192];
            var text = new StringBuilder();
            try
            {
                while (true)
                {
                    var read = await stream.ReadAsync(buffer, _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }
                    text.Append(Encoding.ASCII.GetString(buffer, 0, read));
                    int end;
                    while ((end = text.ToString().IndexOf("\r\n\r\n", StringComparison.Ordinal)) >= 0)
                    {
                        var request = text.ToString(0, end);
                        text.Remove(0, end + 4);
                        lock (Requests)
                        {
                            Requests.Add(request);
                        }
                        var method = request[..request.IndexOf(' ', StringComparison.Ordinal)];
                        var cseq = int.Parse(CSeqPattern().Match(request).Groups[1].Value);
                        var reply = _reply(method, cseq);
                        if (reply == Close)
                        {
                            return;
                        }
                        if (reply is not null)
                        {
                            await stream.WriteAsync(Encoding.ASCII.GetBytes(reply), _stop.Token);
                        }
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (IOException)
            {
            }
        }
    }

    [GeneratedRegex(@"CSeq:\s*(\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex CSeqPattern();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accept;
        Task[] connections;
        lock (_connections)
        {
            connections = [.. _connections];
        }
        await Task.WhenAll(connections);
        _stop.Dispose();
    }
}
