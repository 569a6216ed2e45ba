using Streamer.Media.Codecs;

namespace Streamer.Media.Rtsp;

/// <summary>
/// Picks the depacketizer for a camera's video track and seeds it with the parameter sets the
/// SDP carries (H.264 sprop-parameter-sets, RFC 6184 section 8.1; H.265 sprop-vps/sps/pps,
/// RFC 7798 section 7.1), so the first IDR decodes even when the camera sends them only there.
/// </summary>
public static class RtspDepacketizers
{
    public const string SupportedCodecs = "H264, H265";

    /// <summary>Never throws; an unsupported codec or parameter comes back as an error naming it.</summary>
    public static bool TryCreate(RtspTrack track, out RtpDepacketizer? depacketizer, out string error)
    {
        depacketizer = null;
        var parameters = ParseFormatParameters(track.FormatParameters);
        switch (track.EncodingName.ToUpperInvariant())
        {
            case "H264":
                if (parameters.TryGetValue("packetization-mode", out var mode) && mode is not ("0" or "1"))
                {
                    error = $"H264 packetization-mode={mode} (interleaved) is not supported";
                    return false;
                }
                var h264 = new H264Depacketizer();
                if (parameters.TryGetValue("sprop-parameter-sets", out var sets))
                {
                    foreach (var set in sets.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                    {
                        if (TryDecode(set, out var nal))
                        {
                            h264.SeedParameterSet(nal);
                        }
                    }
                }
                depacketizer = h264;
                error = "";
                return true;
            case "H265":
                if (parameters.TryGetValue("sprop-max-don-diff", out var don) && don != "0")
                {
                    error = $"H265 with decoding order numbers (sprop-max-don-diff={don}) is not supported";
                    return false;
                }
                var h265 = new H265Depacketizer();
                foreach (var name in (string[])["sprop-vps", "sprop-sps", "sprop-pps"])
                {
                    if (parameters.TryGetValue(name, out var value))
                    {
                        foreach (var set in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                        {
                            if (TryDecode(set, out var nal))
                            {
                                h265.SeedParameterSet(nal);
                            }
                        }
                    }
                }
                depacketizer = h265;
                error = "";
                return true;
            default:
                error = $"the video track uses {track.EncodingName}, which is not supported (supported: {SupportedCodecs})";
                return false;
        }
    }

    /// <summary>"a=b;c=d" into a case-insensitive dictionary; later duplicates are ignored.</summary>
    public static Dictionary<string, string> ParseFormatParameters(string? fmtp)
    {
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (string.IsNullOrEmpty(fmtp))
        {
            return parameters;
        }
        foreach (var part in fmtp.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                parameters.TryAdd(part[..equals].Trim(), part[(equals + 1)..].Trim());
            }
        }
        return parameters;
    }

    private static bool TryDecode(string base64, out byte[] bytes)
    {
        bytes = new byte[base64.Length];
        if (Convert.TryFromBase64String(base64, bytes, out var written))
        {
            bytes = bytes[..written];
            return true;
        }
        return false;
    }
}
