using Streamer.Media.Srtp;

namespace Streamer.Media.Tests.Srtp;

public class SrtpReplayWindowTests
{
    [Fact]
    public void Accepted_index_is_replayed_and_neighbours_are_not()
    {
        var window = new SrtpReplayWindow(128);
        window.Accept(1000);

        Assert.True(window.IsReplayed(1000));
        Assert.False(window.IsReplayed(999));
        Assert.False(window.IsReplayed(1001));
    }

    [Fact]
    public void Index_older_than_the_window_is_replayed()
    {
        var window = new SrtpReplayWindow(128);
        window.Accept(1000);

        Assert.False(window.IsReplayed(1000 - 127));
        Assert.True(window.IsReplayed(1000 - 128));
    }

    [Fact]
    public void Bits_follow_the_highest_index_across_word_boundaries()
    {
        var window = new SrtpReplayWindow(128);
        window.Accept(10);
        window.Accept(75);   // 65 ahead: the mark for 10 crosses into the second word
        window.Accept(100);

        Assert.True(window.IsReplayed(10));
        Assert.True(window.IsReplayed(75));
        Assert.False(window.IsReplayed(11));
        Assert.False(window.IsReplayed(74));

        window.Accept(200);  // 190 ahead of 10: out of the window
        Assert.True(window.IsReplayed(10));   // too old
        Assert.True(window.IsReplayed(100));
        Assert.False(window.IsReplayed(101));
    }

    [Fact]
    public void Late_packet_inside_the_window_is_accepted_once()
    {
        var window = new SrtpReplayWindow(64);
        window.Accept(500);
        window.Accept(510);

        Assert.False(window.IsReplayed(505));
        window.Accept(505);
        Assert.True(window.IsReplayed(505));
    }

    [Fact]
    public void Jump_larger_than_the_bitmap_clears_it()
    {
        var window = new SrtpReplayWindow(128);
        for (var i = 0; i < 128; i++)
        {
            window.Accept(i);
        }

        window.Accept(1_000_000);
        Assert.False(window.IsReplayed(999_999));
        Assert.False(window.IsReplayed(999_873));
        Assert.True(window.IsReplayed(1_000_000));
    }
}
