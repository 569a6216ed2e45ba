using Streamer.Media.Interceptors;

namespace Streamer.Media.Tests.Interceptors;

public class ReceiveLogTests
{
    private static List<ushort> Missing(ReceiveLog log, int skip = 0)
    {
        var list = new List<ushort>();
        log.AddMissing(list, skip);
        return list;
    }

    [Fact]
    public void Tracks_missing_until_they_arrive()
    {
        var log = new ReceiveLog(64);
        foreach (ushort s in new ushort[] { 5, 6, 9, 11 })
        {
            log.Add(s);
        }
        Assert.Equal(new ushort[] { 7, 8, 10 }, Missing(log));
        log.Add(7);
        log.Add(8);
        Assert.Equal(new ushort[] { 10 }, Missing(log));
        Assert.True(log.Contains(9));
        Assert.False(log.Contains(10));
    }

    [Fact]
    public void Jump_larger_than_window_keeps_only_the_window()
    {
        var log = new ReceiveLog(64);
        log.Add(0);
        log.Add(200);
        var missing = Missing(log);
        Assert.Equal(63, missing.Count); // 137..199: the slots of the last 64 except 200 itself
        Assert.Equal(137, missing[0]);
        log.Add(10); // far outside the window: ignored, must not mark a slot
        Assert.Equal(63, Missing(log).Count);
    }
}
