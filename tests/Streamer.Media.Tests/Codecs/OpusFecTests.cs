using Streamer.Media.Codecs;
using Xunit.Abstractions;

namespace Streamer.Media.Tests.Codecs;

/// <summary>In-band FEC through libopus: the packet after a lost one rebuilds it, where concealment can only guess.</summary>
[Collection(NativeCodecsCollection.Name)]
public sealed class OpusFecTests(ITestOutputHelper output)
{
    private const int Frames = 30;
    private const int Lost = 20;

    // A voiced tone whose pitch jumps from 180 to 290 Hz exactly at the lost frame, so
    // extrapolating the frames before it is wrong and only the FEC copy knows the new pitch.
    private static short[] Tone()
    {
        var pcm = new short[Frames * OpusDecoder.FrameSize];
        var phase = 0.0;
        for (var n = 0; n < pcm.Length; n++)
        {
            var pitch = n < Lost * OpusDecoder.FrameSize ? 180 : 290;
            phase += 2 * Math.PI * pitch / OpusDecoder.SampleRate;
            var value = 0.0;
            for (var h = 1; h <= 8; h++) value += Math.Sin(h * phase) / h;
            pcm[n] = (short)(6000 * value);
        }
        return pcm;
    }

    private static List<byte[]> Encode(short[] pcm)
    {
        using var encoder = new OpusEncoder(1, bitRate: 24000);
        encoder.EnableInbandFec(expectedLossPercent: 20);
        var packet = new byte[OpusEncoder.MaxPacketSize];
        var packets = new List<byte[]>();
        for (var i = 0; i < Frames; i++)
        {
            var length = encoder.Encode(pcm.AsSpan(i * OpusDecoder.FrameSize, OpusDecoder.FrameSize), packet);
            packets.Add(packet[..length]);
        }
        return packets;
    }

    // Decodes every packet before the lost one, then fills the lost frame with conceal.
    private static short[] Recover(List<byte[]> packets, Func<OpusDecoder, short[], int> conceal)
    {
        using var decoder = new OpusDecoder(1);
        var pcm = new short[OpusDecoder.MaxFrameSize];
        for (var i = 0; i < Lost; i++) Assert.Equal(OpusDecoder.FrameSize, decoder.Decode(packets[i], pcm));
        Assert.Equal(OpusDecoder.FrameSize, conceal(decoder, pcm));
        return pcm[..OpusDecoder.FrameSize];
    }

    [Fact]
    public void Fec_from_the_next_packet_rebuilds_a_lost_frame_closer_than_concealment()
    {
        var packets = Encode(Tone());
        var truth = Recover(packets, (d, pcm) => d.Decode(packets[Lost], pcm));
        var fec = Recover(packets, (d, pcm) => d.DecodeFec(packets[Lost + 1], pcm, OpusDecoder.FrameSize));
        var plc = Recover(packets, (d, pcm) => d.DecodeLost(pcm, OpusDecoder.FrameSize));

        var fecError = Error(fec, truth);
        var plcError = Error(plc, truth);
        output.WriteLine($"TOC 0x{packets[Lost + 1][0]:x2}; error energy relative to the frame: FEC {fecError:F3}, PLC {plcError:F3}");
        Assert.True(OpusDecoder.MayCarryFec(packets[Lost + 1]));
        Assert.Equal(OpusDecoder.FrameSize, OpusDecoder.PacketSamples(packets[Lost + 1]));
        Assert.True(fecError < 0.5 * plcError, $"FEC {fecError:F3} vs PLC {plcError:F3}");
    }

    [Fact]
    public void Packet_samples_reads_the_duration_and_rejects_a_malformed_packet()
    {
        var packets = Encode(Tone());
        Assert.Equal(OpusDecoder.FrameSize, OpusDecoder.PacketSamples(packets[0]));
        // Code 3 without its frame count byte (RFC 6716 3.2.5).
        Assert.True(OpusDecoder.PacketSamples([0x03]) < 0);
        Assert.True(OpusDecoder.PacketSamples([]) < 0);
        // TOC config 16-31 is CELT-only: no FEC can be inside.
        Assert.False(OpusDecoder.MayCarryFec([16 << 3, 0x00]));
        Assert.True(OpusDecoder.MayCarryFec([15 << 3, 0x00]));
    }

    private static double Error(short[] actual, short[] truth)
    {
        double error = 0, energy = 0;
        for (var i = 0; i < truth.Length; i++)
        {
            error += Math.Pow(actual[i] - (double)truth[i], 2);
            energy += truth[i] * (double)truth[i];
        }
        return error / energy;
    }
}
