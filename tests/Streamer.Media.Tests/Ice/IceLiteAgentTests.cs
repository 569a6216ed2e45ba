using System.Net;
using System.Text;
using Streamer.Media.Ice;

namespace Streamer.Media.Tests.Ice;

public class IceLiteAgentTests
{
    private const string LocalUfrag = "srvU";
    private const string LocalPwd = "server-password-0123456789";
    private const string RemoteUfrag = "cliU";
    private const string RemotePwd = "client-password-0123456789";
    private static readonly IPEndPoint Peer = new(IPAddress.Parse("192.168.1.20"), 50000);
    private static readonly IPEndPoint OtherPeer = new(IPAddress.Parse("10.0.0.7"), 50002);

    private readonly ManualTimeProvider _time = new();
    private readonly IceLiteAgent _agent;
    private readonly byte[] _response = new byte[1500];
    private int _transaction;

    public IceLiteAgentTests()
    {
        _agent = new IceLiteAgent(LocalUfrag, LocalPwd, RemoteUfrag, RemotePwd, _time, new IceOptions());
    }

    [Fact]
    public void Valid_request_with_use_candidate_nominates_and_answers()
    {
        byte[] request = Check(useCandidate: true);

        var result = _agent.HandleStun(request, Peer, _response);

        Assert.True(result.IsValidCheck);
        Assert.True(result.SelectionChanged);
        Assert.Equal(Peer, _agent.SelectedRemote);
        var answer = _response.AsSpan(0, result.ResponseLength);
        Assert.True(StunMessage.TryUnmarshal(answer, out var response, out _));
        Assert.Equal(StunMessageType.BindingSuccess, response.Type);
        Assert.Equal(request.AsSpan(8, 12).ToArray(), response.TransactionId);
        Assert.True(response.TryGetXorMappedAddress(out var mapped));
        Assert.Equal(Peer, mapped);
        Assert.True(StunMessage.VerifyMessageIntegrity(answer, Encoding.UTF8.GetBytes(LocalPwd)));
        Assert.True(StunMessage.VerifyFingerprint(answer));
        Assert.Equal(1, _agent.Counters.Successes);
    }

    [Fact]
    public void Chromium_connectivity_check_is_answered()
    {
        // Chromium 156's first check to an answer from SdpAnswerer (ufrag srvU, password
        // "server-ice-password-0123"); the browser's own ufrag was "/iHh".
        byte[] check = StunVectors.Hex(
            "00 01 00 4c" +                                     // Binding request, length 76
            "21 12 a4 42" +                                     // magic cookie
            "77 71 58 67 61 6a 48 50 64 78 73 75" +             // transaction id
            "00 06 00 09" +                                     // USERNAME, length 9
            "73 72 76 55 3a 2f 69 48 68 00 00 00" +             // "srvU:/iHh" + padding
            "c0 57 00 04" +                                     // GOOG-NETWORK-INFO (unknown to us), length 4
            "00 00 03 e7" +                                     // network id 0, cost 999
            "80 2a 00 08" +                                     // ICE-CONTROLLING, length 8
            "e5 a9 5e 56 83 b7 7c 0c" +                         // tie breaker
            "00 24 00 04" +                                     // PRIORITY, length 4
            "6e 00 1e ff" +                                     // host candidate priority
            "00 08 00 14" +                                     // MESSAGE-INTEGRITY, length 20
            "0b 11 b0 16 62 15 7a fc eb f3 c3 04 8c 15 ef c9 86 42 f6 a1" + // HMAC-SHA1
            "80 28 00 04" +                                     // FINGERPRINT, length 4
            "b1 f0 05 21");                                     // CRC-32 xor 0x5354554e
        var agent = new IceLiteAgent("srvU", "server-ice-password-0123", "/iHh", "unused", _time, new IceOptions());
        var browser = new IPEndPoint(IPAddress.Loopback, 49753);

        var result = agent.HandleStun(check, browser, _response);

        Assert.True(result.IsValidCheck);
        Assert.False(result.SelectionChanged); // regular nomination: USE-CANDIDATE comes in a later check
        Assert.True(StunMessage.TryUnmarshal(check, out var request, out _));
        Assert.True(request.TryGetAttribute(0xC057, out var networkInfo));
        Assert.Equal(new byte[] { 0, 0, 3, 0xe7 }, networkInfo.ToArray());
        Assert.True(StunMessage.TryUnmarshal(_response.AsSpan(0, result.ResponseLength), out var response, out _));
        Assert.True(response.TryGetXorMappedAddress(out var mapped));
        Assert.Equal(browser, mapped);
    }

    [Fact]
    public void Valid_request_without_use_candidate_answers_but_does_not_nominate()
    {
        var result = _agent.HandleStun(Check(useCandidate: false), Peer, _response);

        Assert.True(result.IsValidCheck);
        Assert.True(result.ResponseLength > 0);
        Assert.False(result.SelectionChanged);
        Assert.Null(_agent.SelectedRemote);
    }

    [Fact]
    public void Repeated_nomination_of_the_same_address_is_not_a_change()
    {
        _agent.HandleStun(Check(useCandidate: true), Peer, _response);

        var second = _agent.HandleStun(Check(useCandidate: true), Peer, _response);

        Assert.True(second.IsValidCheck);
        Assert.False(second.SelectionChanged);
    }

    [Fact]
    public void Nomination_from_a_new_address_moves_the_selection()
    {
        _agent.HandleStun(Check(useCandidate: true), Peer, _response);

        var result = _agent.HandleStun(Check(useCandidate: true), OtherPeer, _response);

        Assert.True(result.SelectionChanged);
        Assert.Equal(OtherPeer, _agent.SelectedRemote);
    }

    [Fact]
    public void Wrong_password_gets_401_and_no_nomination()
    {
        var result = _agent.HandleStun(Check(useCandidate: true, password: "not-the-password"), Peer, _response);

        Assert.Equal(IceError.BadIntegrity, result.Error);
        Assert.False(result.SelectionChanged);
        Assert.Null(_agent.SelectedRemote);
        AssertErrorResponse(result, 401);
        Assert.Equal(1, _agent.Counters.FailuresFor(IceError.BadIntegrity));
        Assert.Equal(0, _agent.Counters.Successes);
    }

    [Fact]
    public void Wrong_username_gets_401_and_no_nomination()
    {
        var result = _agent.HandleStun(Check(useCandidate: true, username: "srvU:someoneElse"), Peer, _response);

        Assert.Equal(IceError.BadUsername, result.Error);
        Assert.Null(_agent.SelectedRemote);
        AssertErrorResponse(result, 401);
        Assert.Equal(1, _agent.Counters.FailuresFor(IceError.BadUsername));
    }

    [Fact]
    public void Request_without_integrity_gets_400()
    {
        var result = _agent.HandleStun(Check(useCandidate: true, password: null), Peer, _response);

        Assert.Equal(IceError.MissingCredentials, result.Error);
        Assert.Null(_agent.SelectedRemote);
        AssertErrorResponse(result, 400);
    }

    [Fact]
    public void Request_with_a_bad_fingerprint_is_dropped_without_answer()
    {
        byte[] request = Check(useCandidate: true);
        request[^1] ^= 0xFF;

        var result = _agent.HandleStun(request, Peer, _response);

        Assert.Equal(IceError.BadFingerprint, result.Error);
        Assert.Equal(ParseError.BadChecksum, result.ParseError);
        Assert.Equal(0, result.ResponseLength);
        Assert.Null(_agent.SelectedRemote);
    }

    [Fact]
    public void Request_with_a_malformed_attribute_gets_400()
    {
        var message = new StunMessage(StunMessageType.BindingRequest, NextTransactionId());
        message.Attributes.Add(new StunAttribute(StunAttributeType.Priority, new byte[] { 1 }));
        var raw = new byte[message.MarshalSize];
        message.MarshalTo(raw);

        var result = _agent.HandleStun(raw, Peer, _response);

        Assert.Equal(IceError.Malformed, result.Error);
        Assert.Equal(ParseError.BadAttribute, result.ParseError);
        AssertErrorResponse(result, 400);
    }

    [Fact]
    public void Rtp_packet_is_not_stun_and_gets_no_answer()
    {
        byte[] rtp = StunVectors.Hex("80 60 00 01 00 00 00 00 12 34 56 78 00 00 00 00 00 00 00 00");

        var result = _agent.HandleStun(rtp, Peer, _response);

        Assert.Equal(IceError.NotStun, result.Error);
        Assert.Equal(0, result.ResponseLength);
    }

    [Fact]
    public void Success_response_from_the_peer_is_ignored()
    {
        var result = _agent.HandleStun(StunVectors.SampleIPv4Response(), Peer, _response);

        Assert.Equal(IceError.NotRequest, result.Error);
        Assert.Equal(0, result.ResponseLength);
    }

    [Fact]
    public void Too_small_response_buffer_writes_nothing_and_does_not_nominate()
    {
        var result = _agent.HandleStun(Check(useCandidate: true), Peer, new byte[40]);

        Assert.Equal(IceError.ResponseBufferTooSmall, result.Error);
        Assert.Equal(0, result.ResponseLength);
        Assert.Null(_agent.SelectedRemote);
    }

    [Fact]
    public void Ipv6_peer_gets_an_ipv6_mapped_address()
    {
        var peer = new IPEndPoint(IPAddress.Parse("2001:db8::42"), 61000);

        var result = _agent.HandleStun(Check(useCandidate: true), peer, _response);

        Assert.True(StunMessage.TryUnmarshal(_response.AsSpan(0, result.ResponseLength), out var response, out _));
        Assert.True(response.TryGetXorMappedAddress(out var mapped));
        Assert.Equal(peer, mapped);
    }

    [Fact]
    public void Consent_expires_after_the_timeout_and_is_refreshed_by_checks()
    {
        Assert.False(_agent.IsConsentExpired); // nothing selected yet
        _agent.HandleStun(Check(useCandidate: true), Peer, _response);

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(_agent.IsConsentExpired);
        _agent.HandleStun(Check(useCandidate: false), Peer, _response);
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(_agent.IsConsentExpired); // 58 s after nomination, 29 s after the refresh
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(_agent.IsConsentExpired);

        _agent.HandleStun(Check(useCandidate: false), Peer, _response);
        Assert.False(_agent.IsConsentExpired);
        Assert.Equal(TimeSpan.Zero, _agent.TimeSinceLastCheck(Peer));
    }

    [Fact]
    public void Checks_from_another_address_or_with_bad_credentials_do_not_refresh_consent()
    {
        _agent.HandleStun(Check(useCandidate: true), Peer, _response);
        _time.Advance(TimeSpan.FromSeconds(20));

        _agent.HandleStun(Check(useCandidate: false), OtherPeer, _response);
        _agent.HandleStun(Check(useCandidate: false, password: "wrong"), Peer, _response);
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.True(_agent.IsConsentExpired);
        Assert.Equal(TimeSpan.FromSeconds(10), _agent.TimeSinceLastCheck(OtherPeer));
    }

    [Fact]
    public void Consent_timeout_comes_from_options()
    {
        var agent = new IceLiteAgent(LocalUfrag, LocalPwd, RemoteUfrag, RemotePwd, _time, new IceOptions { ConsentTimeout = TimeSpan.FromSeconds(5) });
        agent.HandleStun(Check(useCandidate: true), Peer, _response);

        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(agent.IsConsentExpired);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(agent.IsConsentExpired);
    }

    [Fact]
    public void Counters_add_up_by_reason()
    {
        _agent.HandleStun(Check(useCandidate: true), Peer, _response);
        _agent.HandleStun(Check(useCandidate: false, password: "x"), Peer, _response);
        _agent.HandleStun(Check(useCandidate: false, password: "y"), Peer, _response);
        _agent.HandleStun(new byte[] { 1, 2, 3 }, Peer, _response);

        Assert.Equal(4, _agent.Counters.Requests);
        Assert.Equal(1, _agent.Counters.Successes);
        Assert.Equal(3, _agent.Counters.Failures);
        Assert.Equal(2, _agent.Counters.FailuresFor(IceError.BadIntegrity));
        Assert.Equal(1, _agent.Counters.FailuresFor(IceError.NotStun));
    }

    [Fact]
    public void Garbage_never_throws_nor_nominates()
    {
        var random = new Random(8445);
        var buffer = new byte[300];
        byte[] valid = Check(useCandidate: true);
        for (int i = 0; i < 3000; i++)
        {
            int length;
            if (i % 2 == 0)
            {
                length = random.Next(0, buffer.Length);
                random.NextBytes(buffer.AsSpan(0, length));
                if (length >= 20 && i % 4 == 0)
                {
                    buffer[0] &= 0x3F; // pass the STUN demultiplexing test
                    buffer[4] = 0x21; buffer[5] = 0x12; buffer[6] = 0xa4; buffer[7] = 0x42;
                }
            }
            else
            {
                valid.CopyTo(buffer, 0);
                length = valid.Length;
                buffer[random.Next(0, length)] ^= (byte)random.Next(1, 256);
            }
            var result = _agent.HandleStun(buffer.AsSpan(0, length), Peer, _response);
            Assert.NotEqual(IceError.None, result.Error);
        }
        Assert.Null(_agent.SelectedRemote);
        Assert.Equal(3000, _agent.Counters.Failures);
    }

    private void AssertErrorResponse(IceResult result, int expectedCode)
    {
        Assert.True(result.ResponseLength > 0);
        var raw = _response.AsSpan(0, result.ResponseLength);
        Assert.True(StunMessage.TryUnmarshal(raw, out var response, out _));
        Assert.Equal(StunClass.ErrorResponse, response.Type.Class);
        Assert.Equal(StunMessageType.BindingMethod, response.Type.Method);
        Assert.True(response.TryGetErrorCode(out int code, out _));
        Assert.Equal(expectedCode, code);
        Assert.False(response.HasMessageIntegrity);
        Assert.True(StunMessage.VerifyFingerprint(raw));
    }

    private byte[] NextTransactionId()
    {
        var id = new byte[StunMessage.TransactionIdSize];
        BitConverter.TryWriteBytes(id, ++_transaction);
        return id;
    }

    /// <summary>A connectivity check as Chromium sends it: USERNAME, PRIORITY, ICE-CONTROLLING, maybe USE-CANDIDATE.</summary>
    private byte[] Check(bool useCandidate, string? password = LocalPwd, string username = LocalUfrag + ":" + RemoteUfrag)
    {
        var message = new StunMessage(StunMessageType.BindingRequest, NextTransactionId());
        message.Attributes.Add(StunAttribute.Username(username));
        message.Attributes.Add(StunAttribute.Priority(1853817087));
        message.Attributes.Add(StunAttribute.IceControlling(0x1122334455667788));
        if (useCandidate)
        {
            message.Attributes.Add(StunAttribute.UseCandidate());
        }
        byte[] key = password is null ? [] : Encoding.UTF8.GetBytes(password);
        var raw = new byte[message.GetMarshalSize(key.Length > 0, fingerprint: true)];
        message.MarshalTo(raw, key, fingerprint: true);
        return raw;
    }
}
