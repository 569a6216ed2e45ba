using System.Net;
using System.Text;

namespace Streamer.Media.Ice;

/// <summary>
/// The server side of ICE-lite (RFC 8445 section 2.5): it never sends checks, it answers the
/// peer's Binding requests on its one host candidate, takes the address a USE-CANDIDATE check
/// came from as the selected pair, and tracks consent freshness (RFC 7675) from the peer's
/// periodic checks. Always in the controlled role, so role conflicts cannot arise on our side.
/// Safe to call from a receive loop while another thread reads the state.
/// </summary>
public sealed class IceLiteAgent
{
    private const int BadRequest = 400;
    private const int Unauthorized = 401;

    private readonly string _expectedUsername;
    private readonly byte[] _localKey;
    private readonly TimeProvider _time;
    private readonly IceOptions _options;
    private readonly Lock _lock = new();
    private readonly Dictionary<IPEndPoint, long> _lastValidCheck = [];
    private IPEndPoint? _selected;

    public IceLiteAgent(string localUfrag, string localPwd, string remoteUfrag, string remotePwd, TimeProvider time, IceOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(localUfrag);
        ArgumentException.ThrowIfNullOrEmpty(localPwd);
        ArgumentException.ThrowIfNullOrEmpty(remoteUfrag);
        LocalUfrag = localUfrag;
        RemoteUfrag = remoteUfrag;
        // A lite agent never sends requests, so the remote password would only sign checks we do not send.
        _ = remotePwd;
        _expectedUsername = localUfrag + ":" + remoteUfrag;
        _localKey = Encoding.UTF8.GetBytes(localPwd);
        _time = time;
        _options = options;
    }

    public string LocalUfrag { get; }

    public string RemoteUfrag { get; }

    public IceCounters Counters { get; } = new();

    /// <summary>The address the peer nominated with USE-CANDIDATE; media goes there.</summary>
    public IPEndPoint? SelectedRemote
    {
        get
        {
            lock (_lock)
            {
                return _selected;
            }
        }
    }

    /// <summary>
    /// True when a pair was selected and no valid check has come from it for
    /// <see cref="IceOptions.ConsentTimeout"/>. Before nomination there is no consent to lose.
    /// </summary>
    public bool IsConsentExpired
    {
        get
        {
            lock (_lock)
            {
                return _selected is not null
                    && (!_lastValidCheck.TryGetValue(_selected, out long last) || _time.GetElapsedTime(last) >= _options.ConsentTimeout);
            }
        }
    }

    /// <summary>Time since the last valid check from <paramref name="remote"/>, or null if none came.</summary>
    public TimeSpan? TimeSinceLastCheck(IPEndPoint remote)
    {
        lock (_lock)
        {
            return _lastValidCheck.TryGetValue(remote, out long last) ? _time.GetElapsedTime(last) : null;
        }
    }

    /// <summary>
    /// Handles one datagram that arrived from <paramref name="from"/>. A valid Binding request gets a
    /// success response in <paramref name="response"/>; a request with bad credentials gets a 401 and a
    /// malformed one a 400. Never throws on network input.
    /// </summary>
    public IceResult HandleStun(ReadOnlySpan<byte> datagram, IPEndPoint from, Span<byte> response)
    {
        lock (_lock)
        {
            var result = Handle(datagram, from, response);
            Counters.Record(result.Error);
            return result;
        }
    }

    private IceResult Handle(ReadOnlySpan<byte> datagram, IPEndPoint from, Span<byte> response)
    {
        if (!StunMessage.LooksLikeStun(datagram))
        {
            return Fail(IceError.NotStun);
        }
        if (!StunMessage.TryUnmarshal(datagram, out var request, out var parseError))
        {
            if (parseError == ParseError.BadChecksum)
            {
                return Fail(IceError.BadFingerprint, parseError);
            }
            // The header parsed far enough to have a class and transaction id: tell a requester why.
            var header = StunMessageType.FromValue((ushort)((datagram[0] << 8) | datagram[1]));
            if (header.Class != StunClass.Request || parseError is ParseError.TooShort or ParseError.BadLength)
            {
                return Fail(IceError.Malformed, parseError);
            }
            var badRequest = new StunMessage(new StunMessageType(StunClass.ErrorResponse, header.Method), datagram.Slice(8, StunMessage.TransactionIdSize));
            return Reply(badRequest, BadRequest, "Bad Request", response, IceError.Malformed, parseError);
        }
        if (request.Type.Class != StunClass.Request)
        {
            return Fail(IceError.NotRequest);
        }
        var errorType = new StunMessageType(StunClass.ErrorResponse, request.Type.Method);
        if (request.Type.Method != StunMessageType.BindingMethod)
        {
            return Reply(new StunMessage(errorType, request.TransactionId), BadRequest, "Bad Request", response, IceError.UnsupportedMethod);
        }
        if (!request.HasMessageIntegrity || request.Username is null)
        {
            return Reply(new StunMessage(errorType, request.TransactionId), BadRequest, "Bad Request", response, IceError.MissingCredentials);
        }
        if (!request.HasFingerprint)
        {
            return Reply(new StunMessage(errorType, request.TransactionId), BadRequest, "Bad Request", response, IceError.MissingFingerprint);
        }
        if (!string.Equals(request.Username, _expectedUsername, StringComparison.Ordinal))
        {
            return Reply(new StunMessage(errorType, request.TransactionId), Unauthorized, "Unauthorized", response, IceError.BadUsername);
        }
        if (!StunMessage.VerifyMessageIntegrity(datagram, _localKey))
        {
            return Reply(new StunMessage(errorType, request.TransactionId), Unauthorized, "Unauthorized", response, IceError.BadIntegrity);
        }

        var success = new StunMessage(StunMessageType.BindingSuccess, request.TransactionId);
        success.Attributes.Add(StunAttribute.XorMappedAddress(from, request.TransactionId));
        if (response.Length < success.GetMarshalSize(messageIntegrity: true, fingerprint: true))
        {
            return Fail(IceError.ResponseBufferTooSmall);
        }
        int length = success.MarshalTo(response, _localKey, fingerprint: true);

        var remote = new IPEndPoint(from.Address, from.Port);
        RememberCheck(remote);
        bool changed = false;
        if (request.UseCandidate && !remote.Equals(_selected))
        {
            _selected = remote;
            changed = true;
        }
        return new IceResult(length, changed, IceError.None, ParseError.None);
    }

    private void RememberCheck(IPEndPoint remote)
    {
        if (!_lastValidCheck.ContainsKey(remote) && _lastValidCheck.Count >= _options.MaxRemoteAddresses)
        {
            // Forget the stalest address that is not the selected one, so a peer cycling through
            // addresses cannot grow the table.
            IPEndPoint? stalest = null;
            long oldest = long.MaxValue;
            foreach (var (address, time) in _lastValidCheck)
            {
                if (time < oldest && !address.Equals(_selected))
                {
                    stalest = address;
                    oldest = time;
                }
            }
            if (stalest is not null)
            {
                _lastValidCheck.Remove(stalest);
            }
        }
        _lastValidCheck[remote] = _time.GetTimestamp();
    }

    private static IceResult Reply(StunMessage error, int code, string reason, Span<byte> response, IceError iceError, ParseError parseError = ParseError.None)
    {
        // Error responses carry no MESSAGE-INTEGRITY: the request's credentials were not trusted.
        error.Attributes.Add(StunAttribute.ErrorCode(code, reason));
        int size = error.GetMarshalSize(messageIntegrity: false, fingerprint: true);
        int length = response.Length >= size ? error.MarshalTo(response, ReadOnlySpan<byte>.Empty, fingerprint: true) : 0;
        return new IceResult(length, false, iceError, parseError);
    }

    private static IceResult Fail(IceError error, ParseError parseError = ParseError.None) =>
        new(0, false, error, parseError);
}
