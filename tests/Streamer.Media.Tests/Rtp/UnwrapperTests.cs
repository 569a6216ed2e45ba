using Streamer.Media.Rtp;

namespace Streamer.Media.Tests.Rtp;

public class UnwrapperTests
{
    [Fact]
    public void SequenceUnwrapper_extends_across_wrap_and_handles_reordering()
    {
        var u = new SequenceUnwrapper();
        Assert.Equal(65534, u.Unwrap(65534));
        Assert.Equal(65535, u.Unwrap(65535));
        Assert.Equal(65536, u.Unwrap(0));
        Assert.Equal(65535, u.Unwrap(65535)); // late packet from before the wrap
        Assert.Equal(65537, u.Unwrap(1));
        Assert.Equal(65536 + 30000, u.Unwrap(30000));
    }

    [Fact]
    public void SequenceUnwrapper_never_goes_negative_before_the_first_value()
    {
        var u = new SequenceUnwrapper();
        Assert.Equal(2, u.Unwrap(2));
        Assert.Equal(65535, u.Unwrap(65535));
    }

    [Fact]
    public void TimestampUnwrapper_extends_across_wrap()
    {
        var u = new TimestampUnwrapper();
        Assert.Equal(4294967000L, u.Unwrap(4294967000));
        Assert.Equal(4294967296L + 704, u.Unwrap(704));
        Assert.Equal(4294967000L, u.Unwrap(4294967000));
    }
}
