namespace Streamer.Media.Tests.Ice;

/// <summary>The test vectors of RFC 5769 section 2, with the RFC's 0x20 padding bytes kept as printed.</summary>
internal static class StunVectors
{
    public const string Password = "VOkJxbRl1RmTxUk/WvJxBt";

    public static readonly byte[] TransactionId = Hex("b7 e7 a7 01 bc 34 d6 86 fa 87 df ae");

    /// <summary>Section 2.1: Binding request with SOFTWARE, PRIORITY, ICE-CONTROLLED, USERNAME, MESSAGE-INTEGRITY, FINGERPRINT.</summary>
    public static byte[] SampleRequest() => Hex(
        "00 01 00 58" +                                     // Binding request, length 88
        "21 12 a4 42" +                                     // magic cookie
        "b7 e7 a7 01 bc 34 d6 86 fa 87 df ae" +             // transaction id
        "80 22 00 10" +                                     // SOFTWARE, length 16
        "53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74" + // "STUN test client"
        "00 24 00 04" +                                     // PRIORITY, length 4
        "6e 00 01 ff" +                                     // 0x6e0001ff
        "80 29 00 08" +                                     // ICE-CONTROLLED, length 8
        "93 2f f9 b1 51 26 3b 36" +                         // tie breaker
        "00 06 00 09" +                                     // USERNAME, length 9
        "65 76 74 6a 3a 68 36 76 59 20 20 20" +             // "evtj:h6vY" + 3 padding bytes
        "00 08 00 14" +                                     // MESSAGE-INTEGRITY, length 20
        "9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2" + // HMAC-SHA1
        "80 28 00 04" +                                     // FINGERPRINT, length 4
        "e5 7a 3b cf");                                     // CRC-32 xor 0x5354554e

    /// <summary>Section 2.2: Binding success with XOR-MAPPED-ADDRESS 192.0.2.1:32853.</summary>
    public static byte[] SampleIPv4Response() => Hex(
        "01 01 00 3c" +                                     // Binding success, length 60
        "21 12 a4 42" +                                     // magic cookie
        "b7 e7 a7 01 bc 34 d6 86 fa 87 df ae" +             // transaction id
        "80 22 00 0b" +                                     // SOFTWARE, length 11
        "74 65 73 74 20 76 65 63 74 6f 72 20" +             // "test vector" + 1 padding byte
        "00 20 00 08" +                                     // XOR-MAPPED-ADDRESS, length 8
        "00 01 a1 47 e1 12 a6 43" +                         // IPv4, port 32853, 192.0.2.1 (xored)
        "00 08 00 14" +                                     // MESSAGE-INTEGRITY, length 20
        "2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7" + // HMAC-SHA1
        "80 28 00 04" +                                     // FINGERPRINT, length 4
        "c0 7d 4c 96");                                     // CRC-32 xor 0x5354554e

    /// <summary>Section 2.3: Binding success with XOR-MAPPED-ADDRESS [2001:db8:1234:5678:11:2233:4455:6677]:32853.</summary>
    public static byte[] SampleIPv6Response() => Hex(
        "01 01 00 48" +                                     // Binding success, length 72
        "21 12 a4 42" +                                     // magic cookie
        "b7 e7 a7 01 bc 34 d6 86 fa 87 df ae" +             // transaction id
        "80 22 00 0b" +                                     // SOFTWARE, length 11
        "74 65 73 74 20 76 65 63 74 6f 72 20" +             // "test vector" + 1 padding byte
        "00 20 00 14" +                                     // XOR-MAPPED-ADDRESS, length 20
        "00 02 a1 47" +                                     // IPv6, port 32853 (xored)
        "01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9" + // address xored with cookie + transaction id
        "00 08 00 14" +                                     // MESSAGE-INTEGRITY, length 20
        "a3 82 95 4e 4b e6 7b f1 17 84 c9 7c 82 92 c2 75 bf e3 ed 41" + // HMAC-SHA1
        "80 28 00 04" +                                     // FINGERPRINT, length 4
        "c8 fb 0b 4c");                                     // CRC-32 xor 0x5354554e

    public static byte[] Hex(string text) => Convert.FromHexString(text.Replace(" ", "", StringComparison.Ordinal));
}
