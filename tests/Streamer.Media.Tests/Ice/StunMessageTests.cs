using System.Buffers.Binary;
using System.Net;
using System.Text;
using Streamer.Media.Ice;

namespace Streamer.Media.Tests.Ice;

public class StunMessageTests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes(StunVectors.Password);

    [Fact]
    public void Rfc5769_sample_request_parses_with_its_attributes()
    {
        byte[] raw = StunVectors.SampleRequest();

        Assert.True(StunMessage.TryUnmarshal(raw, out var message, out var error));
        Assert.Equal(ParseError.None, error);
        Assert.Equal(StunMessageType.BindingRequest, message.Type);
        Assert.Equal(StunVectors.TransactionId, message.TransactionId);
        Assert.Equal("evtj:h6vY", message.Username);
        Assert.Equal(0x6e0001ffu, message.Priority);
        Assert.Equal(0x932ff9b151263b36ul, message.IceControlled);
        Assert.Null(message.IceControlling);
        Assert.False(message.UseCandidate);
        Assert.True(message.TryGetAttribute(StunAttributeType.Software, out var software));
        Assert.Equal("STUN test client", Encoding.UTF8.GetString(software.Span));
        Assert.True(message.HasMessageIntegrity);
        Assert.True(message.HasFingerprint);
    }

    [Fact]
    public void Rfc5769_sample_request_integrity_and_fingerprint_verify()
    {
        byte[] raw = StunVectors.SampleRequest();

        Assert.True(StunMessage.VerifyMessageIntegrity(raw, Key));
        Assert.True(StunMessage.VerifyFingerprint(raw));
        Assert.False(StunMessage.VerifyMessageIntegrity(raw, Encoding.UTF8.GetBytes("VOkJxbRl1RmTxUk/WvJxBu")));
    }

    [Fact]
    public void Rfc5769_ipv4_response_verifies_and_maps_192_0_2_1()
    {
        byte[] raw = StunVectors.SampleIPv4Response();

        Assert.True(StunMessage.TryUnmarshal(raw, out var message, out _));
        Assert.Equal(StunMessageType.BindingSuccess, message.Type);
        Assert.True(message.TryGetXorMappedAddress(out var mapped));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 32853), mapped);
        Assert.True(StunMessage.VerifyMessageIntegrity(raw, Key));
        Assert.True(StunMessage.VerifyFingerprint(raw));
    }

    [Fact]
    public void Rfc5769_ipv6_response_verifies_and_maps_2001_db8()
    {
        byte[] raw = StunVectors.SampleIPv6Response();

        Assert.True(StunMessage.TryUnmarshal(raw, out var message, out _));
        Assert.True(message.TryGetXorMappedAddress(out var mapped));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8:1234:5678:11:2233:4455:6677"), 32853), mapped);
        Assert.True(StunMessage.VerifyMessageIntegrity(raw, Key));
        Assert.True(StunMessage.VerifyFingerprint(raw));
    }

    [Fact]
    public void XorMappedAddress_encodes_to_the_rfc5769_bytes()
    {
        var v4 = StunAttribute.XorMappedAddress(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 32853), StunVectors.TransactionId);
        var v6 = StunAttribute.XorMappedAddress(new IPEndPoint(IPAddress.Parse("2001:db8:1234:5678:11:2233:4455:6677"), 32853), StunVectors.TransactionId);

        Assert.Equal(StunVectors.Hex("00 01 a1 47 e1 12 a6 43"), v4.Value.ToArray());
        Assert.Equal(StunVectors.Hex("00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9"), v6.Value.ToArray());
    }

    [Fact]
    public void XorMappedAddress_writes_ipv4_mapped_ipv6_as_ipv4()
    {
        var mapped = IPAddress.Parse("192.0.2.1").MapToIPv6();

        var attribute = StunAttribute.XorMappedAddress(new IPEndPoint(mapped, 32853), StunVectors.TransactionId);

        Assert.Equal(StunVectors.Hex("00 01 a1 47 e1 12 a6 43"), attribute.Value.ToArray());
    }

    [Theory]
    [InlineData(StunClass.Request, 0x0001)]
    [InlineData(StunClass.Indication, 0x0011)]
    [InlineData(StunClass.SuccessResponse, 0x0101)]
    [InlineData(StunClass.ErrorResponse, 0x0111)]
    public void Binding_message_types_have_the_rfc_wire_values(StunClass stunClass, int wire)
    {
        var type = new StunMessageType(stunClass, StunMessageType.BindingMethod);

        Assert.Equal(wire, type.Value);
        Assert.Equal(type, StunMessageType.FromValue((ushort)wire));
    }

    [Fact]
    public void Message_type_round_trips_every_14_bit_value()
    {
        for (int value = 0; value < 0x4000; value++)
        {
            Assert.Equal(value, StunMessageType.FromValue((ushort)value).Value);
        }
    }

    [Fact]
    public void Marshal_with_integrity_and_fingerprint_round_trips_and_verifies()
    {
        var message = new StunMessage(StunMessageType.BindingRequest, StunVectors.TransactionId);
        message.Attributes.Add(StunAttribute.Username("abcd:efgh"));
        message.Attributes.Add(StunAttribute.Priority(1853817087));
        message.Attributes.Add(StunAttribute.IceControlling(0x0102030405060708));
        message.Attributes.Add(StunAttribute.UseCandidate());
        message.Attributes.Add(new StunAttribute(0xC057, new byte[] { 1, 2, 3 }));
        var buffer = new byte[message.GetMarshalSize(messageIntegrity: true, fingerprint: true)];

        int written = message.MarshalTo(buffer, Key, fingerprint: true);

        Assert.Equal(buffer.Length, written);
        Assert.Equal(written - StunMessage.HeaderSize, BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(2)));
        Assert.True(StunMessage.VerifyMessageIntegrity(buffer, Key));
        Assert.True(StunMessage.VerifyFingerprint(buffer));
        Assert.True(StunMessage.TryUnmarshal(buffer, out var parsed, out _));
        Assert.Equal("abcd:efgh", parsed.Username);
        Assert.Equal(1853817087u, parsed.Priority);
        Assert.Equal(0x0102030405060708ul, parsed.IceControlling);
        Assert.True(parsed.UseCandidate);
        Assert.True(parsed.TryGetAttribute(0xC057, out var unknown));
        Assert.Equal(new byte[] { 1, 2, 3 }, unknown.ToArray());
        // The unknown attribute's value is padded with zeros to four bytes.
        Assert.Equal(0, buffer[StunMessage.HeaderSize + 16 + 8 + 12 + 4 + 4 + 3]);
    }

    [Fact]
    public void Remarshalling_the_rfc5769_request_changes_only_the_username_padding()
    {
        // The RFC pads USERNAME with spaces; we pad with zeros (RFC 8489 section 14). The padding
        // is signed, so the HMAC differs too, but it must verify and every other byte match.
        byte[] raw = StunVectors.SampleRequest();
        Assert.True(StunMessage.TryUnmarshal(raw, out var message, out _));
        var buffer = new byte[message.GetMarshalSize(messageIntegrity: true, fingerprint: true)];
        const int UsernamePadding = 73; // header 20 + SOFTWARE 20 + PRIORITY 8 + ICE-CONTROLLED 12 + USERNAME 4 + 9

        int written = message.MarshalTo(buffer, Key, fingerprint: true);

        Assert.Equal(raw.Length, written);
        Assert.Equal(raw.AsSpan(0, UsernamePadding).ToArray(), buffer.AsSpan(0, UsernamePadding).ToArray());
        Assert.Equal(new byte[] { 0, 0, 0 }, buffer.AsSpan(UsernamePadding, 3).ToArray());
        Assert.Equal(raw.AsSpan(76, 4).ToArray(), buffer.AsSpan(76, 4).ToArray()); // MESSAGE-INTEGRITY header
        Assert.True(StunMessage.VerifyMessageIntegrity(buffer, Key));
        Assert.True(StunMessage.VerifyFingerprint(buffer));
    }

    [Fact]
    public void ErrorCode_round_trips_class_and_number()
    {
        var message = new StunMessage(StunMessageType.BindingError, StunVectors.TransactionId);
        message.Attributes.Add(StunAttribute.ErrorCode(401, "Unauthorized"));
        var buffer = new byte[message.MarshalSize];
        message.MarshalTo(buffer);

        Assert.True(StunMessage.TryUnmarshal(buffer, out var parsed, out _));
        Assert.True(parsed.TryGetErrorCode(out int code, out string reason));
        Assert.Equal(401, code);
        Assert.Equal("Unauthorized", reason);
        Assert.Equal(4, buffer[StunMessage.HeaderSize + 6]); // class 4
        Assert.Equal(1, buffer[StunMessage.HeaderSize + 7]); // number 1
    }

    [Fact]
    public void TryUnmarshal_rejects_truncated_header()
    {
        byte[] raw = StunVectors.SampleRequest();

        Assert.False(StunMessage.TryUnmarshal(raw.AsSpan(0, 19), out _, out var error));
        Assert.Equal(ParseError.TooShort, error);
    }

    [Fact]
    public void TryUnmarshal_rejects_datagram_shorter_than_its_length_field()
    {
        byte[] raw = StunVectors.SampleRequest();

        Assert.False(StunMessage.TryUnmarshal(raw.AsSpan(0, raw.Length - 8), out _, out var error));
        Assert.Equal(ParseError.BadLength, error);
    }

    [Fact]
    public void TryUnmarshal_rejects_length_not_a_multiple_of_four()
    {
        byte[] raw = StunVectors.SampleRequest();
        raw[3] = 0x57; // length 87

        Assert.False(StunMessage.TryUnmarshal(raw.AsSpan(0, raw.Length - 1), out _, out var error));
        Assert.Equal(ParseError.BadLength, error);
    }

    [Fact]
    public void TryUnmarshal_rejects_bad_magic_cookie()
    {
        byte[] raw = StunVectors.SampleRequest();
        raw[4] = 0x22; // cookie 0x2212a442

        Assert.False(StunMessage.TryUnmarshal(raw, out _, out var error));
        Assert.Equal(ParseError.BadMagic, error);
    }

    [Fact]
    public void TryUnmarshal_rejects_nonzero_leading_bits()
    {
        byte[] raw = StunVectors.SampleRequest();
        raw[0] = 0x80; // looks like RTP version 2

        Assert.False(StunMessage.TryUnmarshal(raw, out _, out var error));
        Assert.Equal(ParseError.BadVersion, error);
    }

    [Fact]
    public void TryUnmarshal_rejects_bad_fingerprint()
    {
        byte[] raw = StunVectors.SampleRequest();
        raw[^1] ^= 0x01;

        Assert.False(StunMessage.TryUnmarshal(raw, out _, out var error));
        Assert.Equal(ParseError.BadChecksum, error);
        Assert.False(StunMessage.VerifyFingerprint(raw));
    }

    [Fact]
    public void TryUnmarshal_rejects_attribute_running_past_the_end()
    {
        byte[] raw = StunVectors.SampleRequest();
        raw[20 + 3] = 0xF0; // SOFTWARE length 240, beyond the 88-byte body

        Assert.False(StunMessage.TryUnmarshal(raw, out _, out var error));
        Assert.Equal(ParseError.BadAttribute, error);
    }

    [Fact]
    public void TryUnmarshal_rejects_priority_of_wrong_size()
    {
        var message = new StunMessage(StunMessageType.BindingRequest, StunVectors.TransactionId);
        message.Attributes.Add(new StunAttribute(StunAttributeType.Priority, new byte[] { 1, 2 }));
        var buffer = new byte[message.MarshalSize];
        message.MarshalTo(buffer);

        Assert.False(StunMessage.TryUnmarshal(buffer, out _, out var error));
        Assert.Equal(ParseError.BadAttribute, error);
    }

    [Fact]
    public void TryUnmarshal_rejects_attribute_after_fingerprint()
    {
        var message = new StunMessage(StunMessageType.BindingRequest, StunVectors.TransactionId);
        message.Attributes.Add(StunAttribute.Username("a:b"));
        var buffer = new byte[message.GetMarshalSize(false, true) + 8];
        int written = message.MarshalTo(buffer, ReadOnlySpan<byte>.Empty, fingerprint: true);
        // PRIORITY appended after FINGERPRINT, length field grown to match.
        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(written), StunAttributeType.Priority);
        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(written + 2), 4);
        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(2), (ushort)(buffer.Length - StunMessage.HeaderSize));

        Assert.False(StunMessage.TryUnmarshal(buffer, out _, out var error));
        Assert.Equal(ParseError.Malformed, error);
    }

    [Fact]
    public void VerifyMessageIntegrity_fails_when_a_signed_byte_changes()
    {
        byte[] raw = StunVectors.SampleRequest();
        raw[30] ^= 0x20; // a letter of SOFTWARE

        Assert.False(StunMessage.VerifyMessageIntegrity(raw, Key));
    }

    [Fact]
    public void VerifyMessageIntegrity_fails_without_the_attribute()
    {
        var message = new StunMessage(StunMessageType.BindingRequest, StunVectors.TransactionId);
        message.Attributes.Add(StunAttribute.Username("a:b"));
        var buffer = new byte[message.GetMarshalSize(false, true)];
        message.MarshalTo(buffer, ReadOnlySpan<byte>.Empty, fingerprint: true);

        Assert.False(StunMessage.VerifyMessageIntegrity(buffer, Key));
        Assert.True(StunMessage.VerifyFingerprint(buffer));
    }

    [Fact]
    public void LooksLikeStun_separates_stun_from_rtp_and_dtls()
    {
        Assert.True(StunMessage.LooksLikeStun(StunVectors.SampleRequest()));
        Assert.False(StunMessage.LooksLikeStun(StunVectors.Hex("80 60 00 01 00 00 00 00 12 34 56 78 00 00 00 00 00 00 00 00"))); // RTP v2
        Assert.False(StunMessage.LooksLikeStun(StunVectors.Hex("16 fe fd 00 00 00 00 00 00 00 00 00 ff 01 00 00 00 00 00 00"))); // DTLS handshake
        Assert.False(StunMessage.LooksLikeStun(StunVectors.Hex("00 01 00 00 21 12 a4"))); // truncated
    }

    [Fact]
    public void Random_and_mutated_input_never_throws()
    {
        var random = new Random(5769);
        var buffer = new byte[256];
        byte[] valid = StunVectors.SampleRequest();
        for (int i = 0; i < 4000; i++)
        {
            int length;
            if (i % 2 == 0)
            {
                length = random.Next(0, buffer.Length);
                random.NextBytes(buffer.AsSpan(0, length));
                // Make half of these look like STUN so they reach the attribute walk.
                if (length >= 20 && i % 4 == 0)
                {
                    buffer[0] &= 0x3F;
                    BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(4), StunMessage.MagicCookie);
                    BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(2), (ushort)((length - 20) & ~3));
                    length = 20 + ((length - 20) & ~3);
                }
            }
            else
            {
                valid.CopyTo(buffer, 0);
                length = valid.Length;
                buffer[random.Next(20, length)] = (byte)random.Next(256);
            }
            var span = buffer.AsSpan(0, length);
            if (StunMessage.TryUnmarshal(span, out var message, out _))
            {
                _ = message.Username;
                _ = message.TryGetXorMappedAddress(out _);
                _ = message.TryGetErrorCode(out _, out _);
            }
            _ = StunMessage.VerifyMessageIntegrity(span, Key);
            _ = StunMessage.VerifyFingerprint(span);
        }
    }
}
