using Streamer.Media.Interceptors;
using Streamer.Media.Rtcp;
using static Streamer.Media.Tests.Interceptors.InterceptorTestKit;

namespace Streamer.Media.Tests.Interceptors;

public class NackGeneratorTests
{
    private static (NackGenerator Nack, RecordingRtcpWriter Writer) Create(NackGeneratorOptions? options = null, string feedback = "nack")
    {
        var nack = new NackGenerator(options ?? new NackGeneratorOptions(), Context());
        nack.BindRemoteStream(Video(feedback));
        return (nack, new RecordingRtcpWriter());
    }

    [Fact]
    public void Sends_nack_for_a_gap()
    {
        var (nack, writer) = Create();
        Receive(nack, 10, 0, T0);
        Receive(nack, 11, 0, T0);
        Receive(nack, 14, 0, T0);
        nack.OnTick(T0, writer);

        var sent = writer.Reparse<TransportLayerNack>(0);
        Assert.Equal(LocalSsrc, sent.SenderSsrc);
        Assert.Equal(RemoteSsrc, sent.MediaSsrc);
        Assert.Equal(new ushort[] { 12, 13 }, sent.GetSequenceNumbers());
        Assert.Equal(1, nack.Stats.NacksSent);
        Assert.Equal(2, nack.Stats.SequenceNumbersRequested);
    }

    [Fact]
    public void Gap_across_sequence_wrap_is_detected()
    {
        var (nack, writer) = Create();
        Receive(nack, 65533, 0, T0);
        Receive(nack, 1, 0, T0);
        nack.OnTick(T0, writer);
        Assert.Equal(new ushort[] { 65534, 65535, 0 }, writer.Reparse<TransportLayerNack>(0).GetSequenceNumbers());
    }

    [Fact]
    public void No_nack_after_the_packet_arrives_and_recovery_is_counted()
    {
        var (nack, writer) = Create();
        Receive(nack, 1, 0, T0);
        Receive(nack, 4, 0, T0);
        nack.OnTick(T0, writer); // asks for 2 and 3
        Receive(nack, 2, 0, T0.AddMilliseconds(30));
        Receive(nack, 3, 0, T0.AddMilliseconds(40));
        nack.OnTick(T0.AddMilliseconds(100), writer);

        Assert.Single(writer.Packets);
        Assert.Equal(2, nack.Stats.Recovered);
    }

    [Fact]
    public void Keeps_asking_only_for_what_is_still_missing()
    {
        var (nack, writer) = Create();
        Receive(nack, 1, 0, T0);
        Receive(nack, 4, 0, T0);
        nack.OnTick(T0, writer);
        Receive(nack, 2, 0, T0.AddMilliseconds(30));
        nack.OnTick(T0.AddMilliseconds(100), writer);

        Assert.Equal(2, writer.Packets.Count);
        Assert.Equal(new ushort[] { 3 }, writer.Reparse<TransportLayerNack>(1).GetSequenceNumbers());
        Assert.Equal(1, nack.Stats.Recovered);
    }

    [Fact]
    public void Packet_arriving_without_being_nacked_is_not_counted_as_recovered()
    {
        var (nack, writer) = Create();
        Receive(nack, 1, 0, T0);
        Receive(nack, 3, 0, T0);
        Receive(nack, 2, 0, T0); // reordered, before any tick
        nack.OnTick(T0, writer);
        Assert.Empty(writer.Packets);
        Assert.Equal(0, nack.Stats.Recovered);
    }

    [Fact]
    public void Respects_send_interval_and_skip_last_n()
    {
        var (nack, writer) = Create(new NackGeneratorOptions { Interval = TimeSpan.FromMilliseconds(100), SkipLastN = 2 });
        Receive(nack, 1, 0, T0);
        Receive(nack, 3, 0, T0);
        Receive(nack, 5, 0, T0);
        nack.OnTick(T0, writer);
        // 4 and 5 are within the last two, so only 2 is asked for.
        Assert.Equal(new ushort[] { 2 }, writer.Reparse<TransportLayerNack>(0).GetSequenceNumbers());
        nack.OnTick(T0.AddMilliseconds(50), writer);
        Assert.Single(writer.Packets);
    }

    [Fact]
    public void Gives_up_after_max_retries_and_after_max_age()
    {
        var (nack, writer) = Create(new NackGeneratorOptions { MaxRetries = 2, MaxAge = TimeSpan.FromMilliseconds(250) });
        Receive(nack, 1, 0, T0);
        Receive(nack, 3, 0, T0);
        for (int i = 0; i < 4; i++)
        {
            nack.OnTick(T0.AddMilliseconds(100 * i), writer);
        }
        Assert.Equal(2, writer.Packets.Count);
        Assert.Equal(1, nack.Stats.GivenUp);

        var (aged, agedWriter) = Create(new NackGeneratorOptions { MaxRetries = 100, MaxAge = TimeSpan.FromMilliseconds(250) });
        Receive(aged, 1, 0, T0);
        Receive(aged, 3, 0, T0);
        for (int i = 0; i < 5; i++)
        {
            aged.OnTick(T0.AddMilliseconds(100 * i), agedWriter);
        }
        Assert.Equal(3, agedWriter.Packets.Count); // at 0, 100 and 200 ms; 300 ms is past MaxAge
    }

    [Fact]
    public void Stream_without_nack_feedback_is_ignored()
    {
        var (nack, writer) = Create(feedback: "nack pli");
        Receive(nack, 1, 0, T0);
        Receive(nack, 5, 0, T0);
        nack.OnTick(T0, writer);
        Assert.Empty(writer.Packets);
    }
}
