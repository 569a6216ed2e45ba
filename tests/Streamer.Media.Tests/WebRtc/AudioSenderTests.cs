using Streamer.Media.Codecs;
using Streamer.Media.Interceptors;
using Streamer.Media.Rtp;
using Streamer.Media.Tests.Codecs;
using Streamer.Media.WebRtc;

namespace Streamer.Media.Tests.WebRtc;

[Collection(NativeCodecsCollection.Name)]
public sealed class AudioSenderTests
{
    private const uint Ssrc = 0x1234_5678;
    private const byte PayloadType = 111;
    private const int InputRate = 24000;
    private static readonly TimeSpan Frame = TimeSpan.FromMilliseconds(20);

    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly CapturingWriter _writer = new();

    [Fact]
    public void Sent_packets_decode_to_the_input_tone_at_48_kHz()
    {
        using var sender = Sender();
        var tone = PolyphaseResamplerTests.Tone(440, InputRate, InputRate, amplitude: 0.3);
        EnqueueInChunks(sender, tone, chunk: 2400, endOfAnswer: true);

        RunFor(sender, TimeSpan.FromMilliseconds(1200));

        var packets = _writer.Packets();
        Assert.All(packets, p => Assert.Equal(Ssrc, p.Ssrc));
        Assert.All(packets, p => Assert.Equal(PayloadType, p.PayloadType));
        // One second of audio plus the flushed filter and encoder delay, rounded up to a frame.
        Assert.InRange(packets.Count, 50, 52);
        var decoded = Decode(packets, channels: 1);
        var reference = PolyphaseResamplerTests.Tone(440, 48000, 48000, amplitude: 0.3);

        var best = 0.0;
        for (var lag = 0; lag < 800; lag++)
        {
            best = Math.Max(best, Correlation(reference.AsSpan(12000, 24000), decoded.AsSpan(12000 + lag, 24000)));
        }
        Assert.True(best > 0.95, $"best correlation {best:F3}");
        var amplitude = PolyphaseResamplerTests.ToneAmplitude(decoded.AsSpan(12000, 24000), 440, 48000);
        Assert.InRange(amplitude, 0.3 * 0.8, 0.3 * 1.2);
        Assert.Equal(packets.Count, sender.Stats.PacketsSent);
        Assert.Equal(_writer.Bytes, sender.Stats.BytesSent);
    }

    [Fact]
    public void Stereo_sender_duplicates_the_mono_input_on_both_channels()
    {
        using var sender = Sender(new AudioSenderOptions { Channels = 2 });
        EnqueueInChunks(sender, PolyphaseResamplerTests.Tone(440, InputRate, InputRate / 2, 0.3), chunk: 2400, endOfAnswer: true);

        RunFor(sender, TimeSpan.FromMilliseconds(700));

        var interleaved = Decode(_writer.Packets(), channels: 2);
        var left = new float[interleaved.Length / 2];
        var right = new float[interleaved.Length / 2];
        for (var i = 0; i < left.Length; i++) (left[i], right[i]) = (interleaved[2 * i], interleaved[2 * i + 1]);
        Assert.True(Correlation(left.AsSpan(4800, 9600), right.AsSpan(4800, 9600)) > 0.99);
        Assert.True(PolyphaseResamplerTests.Rms(left.AsSpan(4800, 9600)) > 0.15);
    }

    [Fact]
    public void Packets_leave_in_real_time_with_only_the_lead_ahead()
    {
        using var sender = Sender(new AudioSenderOptions { Lead = TimeSpan.FromMilliseconds(40) });
        sender.TryEnqueue(new float[InputRate], endOfAnswer: true);

        // Frames due at 0, 20 and 40 ms may leave now; the next waits until 20 ms have passed.
        Assert.Equal(Frame, sender.Pump());
        Assert.Equal(3, _writer.Count);
        Assert.Equal(Frame, sender.Pump());
        Assert.Equal(3, _writer.Count);

        _time.Advance(TimeSpan.FromMilliseconds(19));
        Assert.Equal(TimeSpan.FromMilliseconds(1), sender.Pump());
        Assert.Equal(3, _writer.Count);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        sender.Pump();
        Assert.Equal(4, _writer.Count);

        _time.Advance(TimeSpan.FromMilliseconds(500));
        sender.Pump();
        // 520 ms of real time plus the 40 ms lead: frames due at 0..560 ms.
        Assert.Equal(29, _writer.Count);
    }

    [Fact]
    public void Sequence_numbers_and_timestamps_continue_across_answers()
    {
        using var sender = Sender();
        sender.TryEnqueue(new float[InputRate / 5], endOfAnswer: true);
        RunFor(sender, TimeSpan.FromMilliseconds(400));
        var first = _writer.Packets();

        _time.Advance(TimeSpan.FromMilliseconds(1000));
        sender.TryEnqueue(PolyphaseResamplerTests.Tone(300, InputRate, InputRate / 5, 0.2), endOfAnswer: true);
        RunFor(sender, TimeSpan.FromMilliseconds(400));
        var all = _writer.Packets();
        var second = all.Skip(first.Count).ToList();

        Assert.NotEmpty(second);
        for (var i = 1; i < all.Count; i++) Assert.Equal((ushort)(all[i - 1].SequenceNumber + 1), all[i].SequenceNumber);
        for (var i = 1; i < first.Count; i++) Assert.Equal(first[i - 1].Timestamp + 960, first[i].Timestamp);
        for (var i = 1; i < second.Count; i++) Assert.Equal(second[i - 1].Timestamp + 960, second[i].Timestamp);
        // The RTP clock ran through the silence: the gap in timestamps equals the gap in send time.
        var gapSamples = second[0].Timestamp - first[^1].Timestamp;
        // The first answer's last frame was due at (count - 1) * 20 ms, the second started at 1400 ms.
        Assert.Equal((1400 - (first.Count - 1) * 20) * 48, (long)gapSamples);
        Assert.True(first[0].Marker && second[0].Marker);
        Assert.All(all.Where(p => p.SequenceNumber != first[0].SequenceNumber && p.SequenceNumber != second[0].SequenceNumber), p => Assert.False(p.Marker));
    }

    [Fact]
    public void Interrupt_drops_queued_audio_and_the_next_answer_starts_clean()
    {
        using var sender = Sender();
        EnqueueInChunks(sender, PolyphaseResamplerTests.Tone(440, InputRate, 2 * InputRate, 0.3), chunk: 2400, endOfAnswer: true);
        RunFor(sender, TimeSpan.FromMilliseconds(200));
        var beforeInterrupt = _writer.Count;

        sender.Interrupt();
        Assert.Equal(0, sender.Stats.QueuedChunks);
        RunFor(sender, TimeSpan.FromMilliseconds(200));
        Assert.Null(sender.Pump());
        // One fading frame and three silent ones close the talk-spurt; nothing else of the answer.
        Assert.Equal(beforeInterrupt + 4, _writer.Count);
        var closing = Decode(_writer.Packets(), channels: 1).AsSpan((beforeInterrupt + 2) * 960);
        Assert.True(PolyphaseResamplerTests.Rms(closing) < 0.003, $"RMS {PolyphaseResamplerTests.Rms(closing):F4} after the fade");
        // Two seconds queued, the lead and 200 ms sent, one frame faded: the rest, about 87 frames, was dropped.
        Assert.InRange(sender.Stats.FramesDroppedOnInterrupt, 84, 89);
        Assert.Equal(1, sender.Stats.Interrupts);
        beforeInterrupt = _writer.Count;

        EnqueueInChunks(sender, PolyphaseResamplerTests.Tone(880, InputRate, InputRate / 2, 0.3), chunk: 2400, endOfAnswer: true);
        RunFor(sender, TimeSpan.FromMilliseconds(700));
        var second = _writer.Packets().Skip(beforeInterrupt).ToList();
        Assert.True(second[0].Marker);
        var decoded = Decode(second, channels: 1);
        var window = decoded.AsSpan(2400, 16800);
        var at880 = PolyphaseResamplerTests.ToneAmplitude(window, 880, 48000);
        var at440 = PolyphaseResamplerTests.ToneAmplitude(window, 440, 48000);
        Assert.True(at880 > 0.2, $"880 Hz at {at880:F3}");
        Assert.True(at440 < 0.01 * at880, $"stale 440 Hz at {at440:F4} next to 880 Hz at {at880:F3}");
    }

    [Fact]
    public async Task Interrupt_discards_a_chunk_whose_enqueue_was_waiting_for_room()
    {
        using var sender = Sender(new AudioSenderOptions { QueueChunks = 2 });
        Assert.True(sender.TryEnqueue(new float[2400]));
        Assert.True(sender.TryEnqueue(new float[2400]));
        Assert.False(sender.TryEnqueue(new float[2400]));
        Assert.Equal(2, sender.Stats.QueuedChunks);
        Assert.Equal(4800, sender.Stats.QueuedInputSamples);

        var waiting = sender.EnqueueAsync(PolyphaseResamplerTests.Tone(440, InputRate, 2400, 0.3));
        Assert.False(waiting.IsCompleted);
        sender.Interrupt();
        await waiting;

        Assert.Null(sender.Pump());
        Assert.Equal(0, _writer.Count);
        Assert.Equal(0, sender.Stats.QueuedChunks);
        // Two queued chunks and the waiting one, 100 ms each.
        Assert.Equal(15, sender.Stats.FramesDroppedOnInterrupt);
    }

    [Fact]
    public void Late_producer_is_padded_only_when_a_frame_is_due()
    {
        using var sender = Sender(new AudioSenderOptions { Lead = TimeSpan.Zero });
        // 30 ms: one whole frame and half of the next.
        sender.TryEnqueue(new float[720]);
        sender.Pump();
        Assert.Equal(1, _writer.Count);

        _time.Advance(TimeSpan.FromMilliseconds(10));
        Assert.Equal(TimeSpan.FromMilliseconds(10), sender.Pump());
        Assert.Equal(0, sender.Stats.Underruns);

        _time.Advance(TimeSpan.FromMilliseconds(10));
        Assert.Equal(Frame, sender.Pump());
        Assert.Equal(2, _writer.Count);
        Assert.Equal(1, sender.Stats.Underruns);

        // Nothing more came: the talk-spurt ends and the sender waits for audio.
        _time.Advance(Frame);
        Assert.Null(sender.Pump());
        Assert.Equal(2, _writer.Count);
    }

    private AudioSender Sender(AudioSenderOptions? options = null) =>
        new(options ?? new AudioSenderOptions(), Ssrc, PayloadType, _writer, _time);

    private static void EnqueueInChunks(AudioSender sender, float[] pcm, int chunk, bool endOfAnswer)
    {
        for (var offset = 0; offset < pcm.Length; offset += chunk)
        {
            var length = Math.Min(chunk, pcm.Length - offset);
            Assert.True(sender.TryEnqueue(pcm.AsMemory(offset, length), endOfAnswer && offset + length == pcm.Length));
        }
    }

    private void RunFor(AudioSender sender, TimeSpan duration)
    {
        for (var elapsed = TimeSpan.Zero; elapsed < duration; elapsed += Frame)
        {
            sender.Pump();
            _time.Advance(Frame);
        }
    }

    private static float[] Decode(List<RtpPacket> packets, int channels)
    {
        using var decoder = new OpusDecoder(channels);
        var pcm = new short[OpusDecoder.MaxFrameSize * channels];
        var output = new List<float>();
        foreach (var packet in packets)
        {
            var samples = decoder.Decode(packet.Payload.Span, pcm);
            Assert.Equal(OpusDecoder.FrameSize, samples);
            foreach (var s in pcm.AsSpan(0, samples * channels)) output.Add(s / 32768f);
        }
        return [.. output];
    }

    private static double Correlation(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double ab = 0, aa = 0, bb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return ab / Math.Sqrt(aa * bb + 1e-12);
    }

    private sealed class CapturingWriter : IRtpWriter
    {
        private readonly List<byte[]> _packets = [];

        public int Count => _packets.Count;

        public long Bytes => _packets.Sum(p => (long)p.Length);

        public void Write(ReadOnlySpan<byte> packet) => _packets.Add(packet.ToArray());

        public List<RtpPacket> Packets() => _packets.Select(bytes =>
        {
            Assert.True(RtpPacket.TryUnmarshal(bytes, out var packet, out var error), error.ToString());
            return packet;
        }).ToList();
    }
}
