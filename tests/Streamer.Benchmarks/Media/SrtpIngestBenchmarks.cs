using BenchmarkDotNet.Attributes;
using Streamer.Media;
using Streamer.Media.Codecs;
using Streamer.Media.Rtp;
using Streamer.Media.Srtp;

namespace Streamer.Benchmarks.Media;

/// <summary>
/// The receive path of one browser video stream, per packet on one core: copy the datagram,
/// SRTP unprotect (AES-CM + HMAC-SHA1-80 or AES-128-GCM), read the RTP header and the
/// transport-wide sequence number, and reassemble VP8 frames. The baseline is the datagram
/// copy alone; RTP parsing and depacketizing without SRTP are measured too, so the ratios
/// separate the cost of the crypto from the cost of the rest.
/// </summary>
/// <remarks>
/// Every invocation replays the same <see cref="Packets"/> packets, so it starts with a fresh
/// <see cref="SrtpContext"/> (its replay window would refuse them) and a fresh
/// <see cref="FrameAssembler"/> (its sequence state would call them late). Creating both
/// (key derivation, cipher and HMAC contexts) took about 30 us for AES-CM and 15 us for GCM
/// here, about 1% of an invocation, and is included in the figures.
/// </remarks>
public class SrtpIngestBenchmarks
{
    public const int Frames = 128;
    public const int Packets = Frames * Vp8RtpStream.PacketsPerFrame;

    // Arbitrary fixed keys; the cost of AES does not depend on them.
    private static readonly byte[] MasterKey = [.. Enumerable.Range(1, 16).Select(i => (byte)(i * 7))];
    private static readonly byte[] CmSalt = [.. Enumerable.Range(1, SrtpProfile.Aes128CmHmacSha1_80.MasterSaltLength()).Select(i => (byte)(i * 13))];
    private static readonly byte[] GcmSalt = [.. CmSalt.Take(SrtpProfile.AeadAes128Gcm.MasterSaltLength())];

    // One reorder window of packets keeps each invocation's assembler off the large object heap.
    private static readonly FrameAssemblerOptions AssemblerOptions = new() { MaxPackets = 256 };

    private readonly DateTimeOffset[] _arrivals = new DateTimeOffset[Packets];
    private PacketBatch _plain = null!;
    private PacketBatch _aesCm = null!;
    private PacketBatch _aesGcm = null!;
    private long _checksum;

    [GlobalSetup]
    public void Setup()
    {
        var packets = Vp8RtpStream.Build(Frames, seed: 1234);
        _plain = new PacketBatch(packets);
        _aesCm = new PacketBatch(Protect(SrtpProfile.Aes128CmHmacSha1_80, CmSalt, packets));
        _aesGcm = new PacketBatch(Protect(SrtpProfile.AeadAes128Gcm, GcmSalt, packets));
        var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < Packets; i++)
        {
            // 30 frames per second, packets of a frame spread over its interval.
            _arrivals[i] = start + TimeSpan.FromMilliseconds(i * (1000.0 / 30 / Vp8RtpStream.PacketsPerFrame));
        }

        // A path that rejects packets would look fast: make sure every one is accepted.
        Require(nameof(ParseRtp), ParseRtp(), Packets);
        Require(nameof(DepacketizeVp8), DepacketizeVp8(), Frames);
        Require(nameof(UnprotectAesCmDepacketize), UnprotectAesCmDepacketize(), Frames);
        Require(nameof(UnprotectAesGcmDepacketize), UnprotectAesGcmDepacketize(), Frames);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Packets)]
    public int CopyPackets()
    {
        for (var i = 0; i < Packets; i++)
        {
            _plain.Receive(i);
        }
        return Packets;
    }

    [Benchmark(OperationsPerInvoke = Packets)]
    public int ParseRtp()
    {
        var parsed = 0;
        for (var i = 0; i < Packets; i++)
        {
            var packet = _plain.Receive(i);
            if (RtpHeader.TryRead(packet, out var header, out _, out _)
                && header.TryGetExtension(packet, Vp8RtpStream.TransportSequenceId, out var value)
                && TransportSequenceNumber.TryRead(value, out var transportSequence))
            {
                _checksum += transportSequence + header.PayloadOffset;
                parsed++;
            }
        }
        return parsed;
    }

    [Benchmark(OperationsPerInvoke = Packets)]
    public int DepacketizeVp8() => Ingest(_plain, null);

    [Benchmark(OperationsPerInvoke = Packets)]
    public int UnprotectAesCmDepacketize()
    {
        using var context = SrtpContext.Create(SrtpProfile.Aes128CmHmacSha1_80, MasterKey, CmSalt);
        return Ingest(_aesCm, context);
    }

    [Benchmark(OperationsPerInvoke = Packets)]
    public int UnprotectAesGcmDepacketize()
    {
        using var context = SrtpContext.Create(SrtpProfile.AeadAes128Gcm, MasterKey, GcmSalt);
        return Ingest(_aesGcm, context);
    }

    /// <summary>Receives every packet of <paramref name="batch"/> and returns the frames assembled.</summary>
    private int Ingest(PacketBatch batch, SrtpContext? context)
    {
        using var assembler = new FrameAssembler(new Vp8Depacketizer(), AssemblerOptions);
        var frames = 0;
        for (var i = 0; i < Packets; i++)
        {
            var packet = batch.Receive(i);
            if (context is not null)
            {
                if (!context.TryUnprotectRtp(packet, out var plainLength, out _))
                {
                    continue;
                }
                packet = packet[..plainLength];
            }
            if (!RtpHeader.TryRead(packet, out var header, out _, out _))
            {
                continue;
            }
            if (header.TryGetExtension(packet, Vp8RtpStream.TransportSequenceId, out var value)
                && TransportSequenceNumber.TryRead(value, out var transportSequence))
            {
                _checksum += transportSequence;
            }

            var payload = packet[header.PayloadOffset..(packet.Length - header.PaddingSize)];
            assembler.Insert(header.SequenceNumber, header.Timestamp, header.Marker, payload, _arrivals[i]);
            while (assembler.TryDequeue(out var frame))
            {
                _checksum += frame.Length;
                frame.Dispose();
                frames++;
            }
        }
        return frames;
    }

    private static List<byte[]> Protect(SrtpProfile profile, byte[] salt, List<byte[]> packets)
    {
        using var context = SrtpContext.Create(profile, MasterKey, salt);
        var protectedPackets = new List<byte[]>(packets.Count);
        foreach (var packet in packets)
        {
            var destination = new byte[packet.Length + context.RtpOverhead];
            if (!context.TryProtectRtp(packet, destination, out var written) || written != destination.Length)
            {
                throw new InvalidOperationException($"{profile}: protecting a benchmark packet failed.");
            }
            protectedPackets.Add(destination);
        }
        return protectedPackets;
    }

    private static void Require(string benchmark, int actual, int expected)
    {
        if (actual != expected)
        {
            throw new InvalidOperationException($"{benchmark} produced {actual}, expected {expected}: the benchmark would measure a failing path.");
        }
    }
}
