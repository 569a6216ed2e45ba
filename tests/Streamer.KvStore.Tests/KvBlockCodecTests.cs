using System.Buffers.Binary;

namespace Streamer.KvStore.Tests;

public class KvBlockCodecTests
{
    [Fact]
    public void Encode_then_decode_returns_the_same_block()
    {
        KvBlock block = TestBlocks.Create(42, payloadBytes: 3000, layers: 3, dim: 16);

        byte[] bytes = KvBlockCodec.Encode(block);

        Assert.Equal(block.EncodedLength, bytes.Length);
        Assert.True(KvBlockCodec.TryDecode(bytes, out KvBlock? decoded, out KvBlockCodecError error));
        Assert.Equal(KvBlockCodecError.None, error);
        TestBlocks.AssertSameBlock(block, decoded);
    }

    [Fact]
    public void Header_fields_sit_at_their_documented_offsets()
    {
        KvBlock block = TestBlocks.Create(1, payloadBytes: 10);
        byte[] bytes = KvBlockCodec.Encode(block);

        // magic "KVB1"
        Assert.Equal("KVB1"u8.ToArray(), bytes[0..4]);
        // version 1, flags 0
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(0, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(6)));
        // total length covers the whole record
        Assert.Equal(bytes.Length, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8)));
        // payload length, and the payload sits just before the 4-byte trailer
        Assert.Equal(10, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(16)));
        Assert.Equal(block.Payload.ToArray(), bytes[^14..^4]);
        // trailer: CRC-32C of everything before it
        Assert.Equal(Crc32C.Compute(bytes.AsSpan(0, bytes.Length - 4)), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4)));
    }

    [Fact]
    public void Every_flipped_byte_is_rejected()
    {
        byte[] bytes = KvBlockCodec.Encode(TestBlocks.Create(7, payloadBytes: 200));
        for (int i = 0; i < bytes.Length; i++)
        {
            byte[] damaged = (byte[])bytes.Clone();
            damaged[i] ^= 0x01;
            Assert.False(KvBlockCodec.TryDecode(damaged, out KvBlock? block, out KvBlockCodecError error), $"byte {i}");
            Assert.Null(block);
            Assert.NotEqual(KvBlockCodecError.None, error);
        }
    }

    [Fact]
    public void Flipped_payload_byte_is_a_checksum_error()
    {
        byte[] bytes = KvBlockCodec.Encode(TestBlocks.Create(7, payloadBytes: 200));
        bytes[^10] ^= 0x80;
        Assert.False(KvBlockCodec.TryDecode(bytes, out _, out KvBlockCodecError error));
        Assert.Equal(KvBlockCodecError.BadChecksum, error);
    }

    [Fact]
    public void Truncated_record_is_too_short()
    {
        byte[] bytes = KvBlockCodec.Encode(TestBlocks.Create(7));
        Assert.False(KvBlockCodec.TryDecode(bytes.AsMemory(0, bytes.Length - 1), out _, out KvBlockCodecError error));
        Assert.Equal(KvBlockCodecError.TooShort, error);
        Assert.False(KvBlockCodec.TryDecode(bytes.AsMemory(0, 23), out _, out error));
        Assert.Equal(KvBlockCodecError.TooShort, error);
    }

    [Fact]
    public void Wrong_magic_and_version_are_named()
    {
        byte[] bytes = KvBlockCodec.Encode(TestBlocks.Create(7));
        byte[] magic = (byte[])bytes.Clone();
        magic[3] = (byte)'2'; // "KVB2"
        Assert.False(KvBlockCodec.TryDecode(magic, out _, out KvBlockCodecError error));
        Assert.Equal(KvBlockCodecError.BadMagic, error);

        byte[] version = (byte[])bytes.Clone();
        version[4] = 2; // version 2
        Assert.False(KvBlockCodec.TryDecode(version, out _, out error));
        Assert.Equal(KvBlockCodecError.UnsupportedVersion, error);
    }

    [Fact]
    public void Inconsistent_lengths_are_rejected_before_the_checksum()
    {
        byte[] bytes = KvBlockCodec.Encode(TestBlocks.Create(7));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(16), 1_000_000); // payload length disagrees with total
        Assert.False(KvBlockCodec.TryDecode(bytes, out _, out KvBlockCodecError error));
        Assert.Equal(KvBlockCodecError.BadLength, error);
    }

    [Fact]
    public void Metadata_decodes_from_the_record_start_alone()
    {
        KvBlock block = TestBlocks.Create(9, payloadBytes: 5000);
        byte[] bytes = KvBlockCodec.Encode(block);
        Assert.True(KvBlockCodec.TryReadHeader(bytes, out KvBlockRecordHeader header, out _));

        Assert.True(KvBlockCodec.TryDecodeMetadata(bytes.AsSpan(0, header.HeaderAndMetadataLength), out KvBlockMetadata? metadata, out _));

        Assert.Equal(block.Id, metadata!.Id);
        Assert.Equal(block.Metadata.RetrievalKeys, metadata.RetrievalKeys);
        Assert.Equal(5000, header.PayloadLength);
    }

    [Fact]
    public void Random_and_mutated_bytes_never_throw()
    {
        var random = new Random(20240611);
        byte[] valid = KvBlockCodec.Encode(TestBlocks.Create(3, payloadBytes: 64));
        for (int i = 0; i < 4000; i++)
        {
            byte[] input;
            if (i % 2 == 0)
            {
                input = new byte[random.Next(0, 300)];
                random.NextBytes(input);
                if (input.Length >= 6 && i % 4 == 0)
                {
                    "KVB1"u8.CopyTo(input); // get past the magic check
                    input[4] = 1;
                    input[5] = 0;
                }
            }
            else
            {
                input = (byte[])valid.Clone();
                for (int m = random.Next(1, 4); m > 0; m--)
                {
                    input[random.Next(input.Length)] = (byte)random.Next(256);
                }
                input = input[..random.Next(input.Length + 1)];
            }
            KvBlockCodec.TryDecode(input, out _, out _);
            KvBlockCodec.TryDecodeMetadata(input, out _, out _);
        }
    }
}
