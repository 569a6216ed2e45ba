using Streamer.Media.Dtls;

namespace Streamer.Media.Tests.Dtls;

public sealed class DtlsRecordHeaderTests
{
    [Fact]
    public void TryUnmarshal_reads_a_client_hello_record_header()
    {
        byte[] record =
        [
            0x16,                               // content type 22, handshake
            0xFE, 0xFF,                         // DTLS 1.0, as ClientHello records carry
            0x00, 0x00,                         // epoch 0
            0x00, 0x00, 0x00, 0x00, 0x01, 0x02, // sequence number 258
            0x00, 0x03,                         // length 3
            0x01, 0x00, 0x00,                   // fragment
        ];

        Assert.True(DtlsRecordHeader.TryUnmarshal(record, out DtlsRecordHeader header, out ParseError error));

        Assert.Equal(ParseError.None, error);
        Assert.Equal(DtlsRecordHeader.Handshake, header.ContentType);
        Assert.Equal(DtlsRecordHeader.Dtls10, header.Version);
        Assert.Equal(0, header.Epoch);
        Assert.Equal(258UL, header.SequenceNumber);
        Assert.Equal(3, header.Length);
    }

    [Fact]
    public void MarshalTo_round_trips_a_48_bit_sequence_number()
    {
        var header = new DtlsRecordHeader(DtlsRecordHeader.ApplicationData, DtlsRecordHeader.Dtls12, 1, 0xA1B2C3D4E5F6, 0);
        var buffer = new byte[DtlsRecordHeader.Size];

        Assert.Equal(DtlsRecordHeader.Size, header.MarshalTo(buffer));

        byte[] expected =
        [
            0x17,                               // application_data
            0xFE, 0xFD,                         // DTLS 1.2
            0x00, 0x01,                         // epoch 1
            0xA1, 0xB2, 0xC3, 0xD4, 0xE5, 0xF6, // sequence number
            0x00, 0x00,                         // length 0
        ];
        Assert.Equal(expected, buffer);
        Assert.True(DtlsRecordHeader.TryUnmarshal(buffer, out DtlsRecordHeader parsed, out _));
        Assert.Equal(header, parsed);
    }

    [Theory]
    // 12 bytes: one short of a header
    [InlineData(new byte[] { 0x16, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, ParseError.TooShort)]
    // content type 25 (RFC 9146 tls12_cid), never negotiated here
    [InlineData(new byte[] { 0x19, 0xFE, 0xFD, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0 }, ParseError.UnknownType)]
    // content type 19, below change_cipher_spec
    [InlineData(new byte[] { 0x13, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, ParseError.UnknownType)]
    // TLS 1.2 version 0x0303 inside a DTLS-range datagram
    [InlineData(new byte[] { 0x16, 0x03, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, ParseError.BadVersion)]
    // length 2 but one fragment byte
    [InlineData(new byte[] { 0x15, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 1 }, ParseError.BadLength)]
    public void TryUnmarshal_rejects_bad_headers(byte[] record, ParseError expected)
    {
        Assert.False(DtlsRecordHeader.TryUnmarshal(record, out _, out ParseError error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void TryValidateDatagram_accepts_records_back_to_back()
    {
        byte[] datagram =
        [
            0x14, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 5, 0, 1, // change_cipher_spec, epoch 0, seq 5, length 1
            0x01,                                           // fragment
            0x16, 0xFE, 0xFD, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, // handshake, epoch 1, seq 0, length 2
            0xAA, 0xBB,                                     // encrypted fragment
        ];

        Assert.True(DtlsRecord.TryValidateDatagram(datagram, out int records, out ParseError error));
        Assert.Equal(2, records);
        Assert.Equal(ParseError.None, error);
    }

    [Theory]
    // one whole record, then three stray bytes that cannot be a header
    [InlineData(new byte[] { 0x15, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 1, 0, 0x16, 0xFE, 0xFD }, ParseError.TooShort)]
    // one whole record, then a header whose length runs past the datagram
    [InlineData(new byte[] { 0x15, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x15, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 1, 0, 9, 1 }, ParseError.BadLength)]
    // empty datagram
    [InlineData(new byte[] { }, ParseError.TooShort)]
    public void TryValidateDatagram_rejects_torn_records(byte[] datagram, ParseError expected)
    {
        Assert.False(DtlsRecord.TryValidateDatagram(datagram, out int records, out ParseError error));
        Assert.Equal(0, records);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void TryValidateDatagram_never_throws_on_random_input()
    {
        var random = new Random(6347);
        var buffer = new byte[96];
        int accepted = 0;
        for (int i = 0; i < 5000; i++)
        {
            Span<byte> datagram = buffer.AsSpan(0, random.Next(buffer.Length + 1));
            random.NextBytes(datagram);
            if (i % 2 == 0 && datagram.Length >= DtlsRecordHeader.Size)
            {
                // Half the inputs get a plausible type, version and length so deeper checks run.
                datagram[0] = (byte)random.Next(20, 25);
                datagram[1] = DtlsRecordHeader.DtlsMajorVersion;
                datagram[11] = 0;
                datagram[12] = (byte)random.Next(datagram.Length - DtlsRecordHeader.Size + 1);
            }
            if (DtlsRecord.TryValidateDatagram(datagram, out int records, out ParseError error))
            {
                accepted++;
                Assert.True(records > 0);
                Assert.Equal(ParseError.None, error);
            }
            else
            {
                Assert.NotEqual(ParseError.None, error);
            }
        }
        // The plausible half must sometimes reach acceptance, or the test exercised nothing deep.
        Assert.True(accepted > 0);
    }
}
