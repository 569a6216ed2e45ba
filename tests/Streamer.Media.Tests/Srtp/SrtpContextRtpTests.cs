using Streamer.Media.Srtp;
using static Streamer.Media.Tests.Srtp.SrtpTestPackets;

namespace Streamer.Media.Tests.Srtp;

public class SrtpContextRtpTests
{
    [Theory]
    [MemberData(nameof(AllProfiles), MemberType = typeof(SrtpTestPackets))]
    public void Round_trip_restores_packet_with_csrcs_extension_and_padding(SrtpProfile profile)
    {
        using var sender = CreateContext(profile);
        using var receiver = CreateContext(profile);
        var plain = BuildRtp(1000, csrcCount: 2, extensionWords: 3, padding: 4);
        const int headerLength = 12 + 8 + 16;

        var packet = ProtectRtp(sender, plain);

        Assert.Equal(plain[..headerLength], packet[..headerLength]);                  // header, CSRCs, extension stay clear
        Assert.NotEqual(plain[headerLength..], packet[headerLength..plain.Length]);   // payload and padding are encrypted
        Assert.True(receiver.TryUnprotectRtp(packet, out var plainLength, out var error));
        Assert.Equal(ParseError.None, error);
        Assert.Equal(plain, packet[..plainLength]);
    }

    [Theory]
    [MemberData(nameof(AllProfiles), MemberType = typeof(SrtpTestPackets))]
    public void Protect_in_place_equals_protect_into_another_buffer(SrtpProfile profile)
    {
        using var first = CreateContext(profile);
        using var second = CreateContext(profile);
        var plain = BuildRtp(7, payloadLength: 1200);
        var expected = ProtectRtp(first, plain);

        var buffer = new byte[plain.Length + second.RtpOverhead];
        plain.CopyTo(buffer, 0);
        Assert.True(second.TryProtectRtp(buffer.AsSpan(0, plain.Length), buffer, out var written));

        Assert.Equal(expected, buffer[..written]);
    }

    [Fact]
    public void Header_only_packet_round_trips()
    {
        using var sender = CreateContext(SrtpProfile.Aes128CmHmacSha1_80);
        using var receiver = CreateContext(SrtpProfile.Aes128CmHmacSha1_80);
        var plain = BuildRtp(5, payloadLength: 0);

        var packet = ProtectRtp(sender, plain);

        Assert.True(receiver.TryUnprotectRtp(packet, out var plainLength, out _));
        Assert.Equal(plain, packet[..plainLength]);
    }

    [Theory]
    [MemberData(nameof(AllProfiles), MemberType = typeof(SrtpTestPackets))]
    public void Unprotect_rejects_replayed_packet(SrtpProfile profile)
    {
        using var sender = CreateContext(profile);
        using var receiver = CreateContext(profile);
        var packet = ProtectRtp(sender, BuildRtp(42));
        var copy = (byte[])packet.Clone();

        Assert.True(receiver.TryUnprotectRtp(packet, out _, out _));
        Assert.False(receiver.TryUnprotectRtp(copy, out _, out var error));

        Assert.Equal(ParseError.Replayed, error);
        Assert.Equal(1, receiver.ReplayedPackets);
        Assert.Equal(0, receiver.AuthenticationFailures);
    }

    [Fact]
    public void Unprotect_accepts_late_packet_inside_window_and_rejects_one_behind_it()
    {
        using var sender = CreateContext(SrtpProfile.Aes128CmHmacSha1_80);
        using var receiver = CreateContext(SrtpProfile.Aes128CmHmacSha1_80);
        var packets = Enumerable.Range(0, 300).Select(i => ProtectRtp(sender, BuildRtp((ushort)i))).ToArray();

        Assert.True(receiver.TryUnprotectRtp(packets[299], out _, out _));
        Assert.True(receiver.TryUnprotectRtp(packets[299 - 127], out _, out _));   // just inside 128
        Assert.False(receiver.TryUnprotectRtp(packets[299 - 128], out _, out var error));

        Assert.Equal(ParseError.Replayed, error);
    }

    [Fact]
    public void Replay_window_size_option_is_honoured()
    {
        var options = new SrtpOptions { ReplayWindowSize = 64 };
        using var sender = CreateContext(SrtpProfile.AeadAes128Gcm);
        using var receiver = CreateContext(SrtpProfile.AeadAes128Gcm, options);
        var packets = Enumerable.Range(0, 100).Select(i => ProtectRtp(sender, BuildRtp((ushort)i))).ToArray();

        Assert.True(receiver.TryUnprotectRtp(packets[99], out _, out _));
        Assert.True(receiver.TryUnprotectRtp(packets[99 - 63], out _, out _));
        Assert.False(receiver.TryUnprotectRtp(packets[99 - 64], out _, out var error));
        Assert.Equal(ParseError.Replayed, error);
    }

    [Theory]
    [MemberData(nameof(AllProfiles), MemberType = typeof(SrtpTestPackets))]
    public void Unprotect_rejects_tampered_byte_anywhere_without_changing_state(SrtpProfile profile)
    {
        using var sender = CreateContext(profile);
        using var receiver = CreateContext(profile);
        var packet = ProtectRtp(sender, BuildRtp(9, csrcCount: 1, extensionWords: 1, payloadLength: 20));

        // Every byte but the first (version/flags) and the X-length word, which change the layout.
        var rejected = 0;
        for (var i = 1; i < packet.Length; i++)
        {
            var tampered = (byte[])packet.Clone();
            tampered[i] ^= 0x01;
            Assert.False(receiver.TryUnprotectRtp(tampered, out _, out var error));
            Assert.True(error is ParseError.AuthenticationFailed or ParseError.TooShort, $"byte {i}: {error}");
            rejected += error == ParseError.AuthenticationFailed ? 1 : 0;
        }

        Assert.True(rejected >= packet.Length - 3);
        Assert.Equal(rejected, receiver.AuthenticationFailures);
        Assert.Equal(0, receiver.ReplayedPackets);
        Assert.False(receiver.TryGetInboundRolloverCounter(0x11223344, out _));   // nothing was remembered
        Assert.True(receiver.TryUnprotectRtp(packet, out _, out _));              // the genuine packet still passes
    }

    [Fact]
    public void Forged_packet_far_ahead_does_not_move_the_rollover_counter()
    {
        using var sender = CreateContext(SrtpProfile.Aes128CmHmacSha1_80);
        using var receiver = CreateContext(SrtpProfile.Aes128CmHmacSha1_80);
        var genuine = Enumerable.Range(0, 3).Select(i => ProtectRtp(sender, BuildRtp((ushort)(60000 + i)))).ToArray();
        Assert.True(receiver.TryUnprotectRtp(genuine[0], out _, out _));

        // A forged packet just past the wrap would, if remembered, make 60001 look old.
        var forged = (byte[])genuine[1].Clone();
        forged[2] = 0x00;
        forged[3] = 0x05;
        Assert.False(receiver.TryUnprotectRtp(forged, out _, out var error));

        Assert.Equal(ParseError.AuthenticationFailed, error);
        Assert.True(receiver.TryGetInboundRolloverCounter(0x11223344, out var roc));
        Assert.Equal(0u, roc);
        Assert.True(receiver.TryUnprotectRtp(genuine[1], out _, out _));
        Assert.True(receiver.TryUnprotectRtp(genuine[2], out _, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(21)]
    public void Unprotect_rejects_truncated_packet(int length)
    {
        using var sender = CreateContext(SrtpProfile.Aes128CmHmacSha1_80);
        using var receiver = CreateContext(SrtpProfile.Aes128CmHmacSha1_80);
        var packet = ProtectRtp(sender, BuildRtp(3, payloadLength: 0));   // 12 header + 10 tag

        Assert.False(receiver.TryUnprotectRtp(packet.AsSpan(0, length), out _, out var error));

        Assert.Equal(ParseError.TooShort, error);
        Assert.Equal(1, receiver.MalformedPackets);
    }

    [Fact]
    public void Unprotect_rejects_extension_longer_than_the_packet()
    {
        using var receiver = CreateContext(SrtpProfile.AeadAes128Gcm);
        var packet = new byte[12 + 4 + 16];
        packet[0] = 0x90;  // v=2, X=1
        packet[12] = 0xBE; // profile 0xBEDE
        packet[13] = 0xDE;
        packet[15] = 0x10; // 16 words claimed, none present

        Assert.False(receiver.TryUnprotectRtp(packet, out _, out var error));

        Assert.Equal(ParseError.TooShort, error);
    }

    [Fact]
    public void Unprotect_rejects_wrong_version()
    {
        using var sender = CreateContext(SrtpProfile.Aes128CmHmacSha1_80);
        using var receiver = CreateContext(SrtpProfile.Aes128CmHmacSha1_80);
        var packet = ProtectRtp(sender, BuildRtp(3));
        packet[0] = (byte)(packet[0] & 0x3F | 0x40); // v=1

        Assert.False(receiver.TryUnprotectRtp(packet, out _, out var error));

        Assert.Equal(ParseError.BadVersion, error);
    }

    [Fact]
    public void Unprotect_rejects_new_ssrc_beyond_max_streams_and_counts_it()
    {
        var options = new SrtpOptions { MaxStreams = 2 };
        using var sender = CreateContext(SrtpProfile.Aes128CmHmacSha1_80);
        using var receiver = CreateContext(SrtpProfile.Aes128CmHmacSha1_80, options);

        Assert.True(receiver.TryUnprotectRtp(ProtectRtp(sender, BuildRtp(1, ssrc: 1)), out _, out _));
        Assert.True(receiver.TryUnprotectRtp(ProtectRtp(sender, BuildRtp(1, ssrc: 2)), out _, out _));
        Assert.False(receiver.TryUnprotectRtp(ProtectRtp(sender, BuildRtp(1, ssrc: 3)), out _, out var error));

        Assert.Equal(ParseError.UnknownStream, error);
        Assert.Equal(1, receiver.UnknownStreamPackets);
        Assert.True(receiver.TryUnprotectRtp(ProtectRtp(sender, BuildRtp(2, ssrc: 1)), out _, out _));
    }

    [Fact]
    public void Forged_packets_of_new_ssrcs_do_not_use_up_max_streams()
    {
        var options = new SrtpOptions { MaxStreams = 1 };
        using var sender = CreateContext(SrtpProfile.AeadAes128Gcm);
        using var attacker = CreateContext(SrtpProfile.AeadAes128Gcm, seed: 99);
        using var receiver = CreateContext(SrtpProfile.AeadAes128Gcm, options);

        for (uint ssrc = 100; ssrc < 110; ssrc++)
        {
            Assert.False(receiver.TryUnprotectRtp(ProtectRtp(attacker, BuildRtp(1, ssrc)), out _, out var error));
            Assert.Equal(ParseError.AuthenticationFailed, error);
        }

        Assert.True(receiver.TryUnprotectRtp(ProtectRtp(sender, BuildRtp(1, ssrc: 7)), out _, out _));
        Assert.Equal(10, receiver.AuthenticationFailures);
        Assert.Equal(0, receiver.UnknownStreamPackets);
    }

    [Fact]
    public void Streams_keep_separate_state_per_ssrc()
    {
        using var sender = CreateContext(SrtpProfile.Aes128CmHmacSha1_80);
        using var receiver = CreateContext(SrtpProfile.Aes128CmHmacSha1_80);
        var audio = ProtectRtp(sender, BuildRtp(500, ssrc: 1));
        var video = ProtectRtp(sender, BuildRtp(500, ssrc: 2));   // same sequence number, other stream

        Assert.True(receiver.TryUnprotectRtp(audio, out _, out _));
        Assert.True(receiver.TryUnprotectRtp(video, out _, out _));
    }

    [Fact]
    public void Protect_rejects_short_destination_and_malformed_input()
    {
        using var sender = CreateContext(SrtpProfile.Aes128CmHmacSha1_80);
        var plain = BuildRtp(1);

        Assert.False(sender.TryProtectRtp(plain, new byte[plain.Length + 9], out var written));
        Assert.Equal(0, written);
        Assert.False(sender.TryProtectRtp(plain.AsSpan(0, 11), new byte[100], out _));
        Assert.True(sender.TryProtectRtp(plain, new byte[plain.Length + 10], out written));
        Assert.Equal(plain.Length + 10, written);
    }

    [Fact]
    public void Create_rejects_key_or_salt_of_the_wrong_length()
    {
        Assert.Throws<ArgumentException>(() => SrtpContext.Create(SrtpProfile.Aes128CmHmacSha1_80, new byte[15], new byte[14]));
        Assert.Throws<ArgumentException>(() => SrtpContext.Create(SrtpProfile.Aes128CmHmacSha1_80, new byte[16], new byte[12]));
        Assert.Throws<ArgumentException>(() => SrtpContext.Create(SrtpProfile.AeadAes128Gcm, new byte[16], new byte[14]));
        Assert.Throws<ArgumentOutOfRangeException>(() => SrtpContext.Create((SrtpProfile)0x0008, new byte[32], new byte[12]));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            SrtpContext.Create(SrtpProfile.AeadAes128Gcm, new byte[16], new byte[12], new SrtpOptions { ReplayWindowSize = 16 }));
    }
}
