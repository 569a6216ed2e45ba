using Streamer.Media.Codecs;

namespace Streamer.Media.Tests.Codecs;

public sealed class ReaderTests
{
    [Fact]
    public void AnnexB_reader_splits_three_and_four_byte_start_codes()
    {
        byte[] stream =
        [
            0, 0, 0, 1, 0x67, 0x42,   // 4-byte start code, SPS
            0, 0, 1, 0x68, 0xCE,      // 3-byte start code, PPS
            0, 0, 0, 1, 0x65, 0x88, 0x00, // IDR with a trailing zero before nothing
        ];
        var reader = new AnnexBReader(stream);
        var nals = new List<byte[]>();
        while (reader.TryReadNalUnit(out ReadOnlySpan<byte> nal))
        {
            nals.Add(nal.ToArray());
        }
        Assert.Equal(3, nals.Count);
        Assert.Equal([0x67, 0x42], nals[0]);
        Assert.Equal([0x68, 0xCE], nals[1]);
        Assert.Equal([0x65, 0x88], nals[2]);
    }

    [Fact]
    public void Ivf_reader_reads_header_and_frames()
    {
        byte[] file =
        [
            .. "DKIF"u8, 0, 0, 32, 0,   // signature, version 0, header size 32
            .. "VP80"u8, 64, 1, 240, 0, // fourcc, width 320, height 240
            15, 0, 0, 0, 1, 0, 0, 0,    // rate 15, scale 1
            2, 0, 0, 0, 0, 0, 0, 0,     // 2 frames, unused
            3, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0xA, 0xB, 0xC, // frame 1: 3 bytes at timestamp 7
            1, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0,                // frame 2: claims 1 byte, none present
        ];
        Assert.True(IvfReader.TryOpen(file, out var reader, out _));
        Assert.Equal("VP80", reader!.FourCc);
        Assert.Equal(320, reader.Width);
        Assert.Equal(240, reader.Height);
        Assert.True(reader.TryReadFrame(out var frame, out var timestamp));
        Assert.Equal(7ul, timestamp);
        Assert.Equal([0xA, 0xB, 0xC], frame.ToArray());
        Assert.False(reader.TryReadFrame(out _, out _));
        Assert.Equal(ParseError.BadLength, reader.LastError);
    }

    [Fact]
    public void Ivf_reader_rejects_wrong_signature()
    {
        var file = new byte[32];
        Assert.False(IvfReader.TryOpen(file, out _, out var error));
        Assert.Equal(ParseError.BadMagic, error);
    }

    [Fact]
    public void Opus_depacketizer_rejects_empty_payload_and_copies_packet()
    {
        Assert.False(OpusDepacketizer.TryDepacketize([], 0, default, out _, out var error));
        Assert.Equal(ParseError.TooShort, error);
        Assert.True(OpusDepacketizer.TryDepacketize([0xFC, 0x01], 960, default, out var frame, out _));
        using (frame)
        {
            Assert.True(frame!.IsAudio);
            Assert.Equal([0xFC, 0x01], frame.Data.ToArray());
        }
    }
}
