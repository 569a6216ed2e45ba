namespace Streamer.Media.Sdp;

/// <summary>Look-ups shared by the session and media levels, first match wins like every SDP stack does.</summary>
internal static class SdpAttributeList
{
    public static bool Has(List<SdpAttribute> attributes, string name) =>
        attributes.Exists(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase));

    public static string? First(List<SdpAttribute> attributes, string name)
    {
        foreach (var attribute in attributes)
        {
            if (string.Equals(attribute.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return attribute.Value;
            }
        }
        return null;
    }

    public static IReadOnlyList<string> All(List<SdpAttribute> attributes, string name)
    {
        var values = new List<string>();
        foreach (var attribute in attributes)
        {
            if (string.Equals(attribute.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                values.Add(attribute.Value ?? "");
            }
        }
        return values;
    }

    public static MediaDirection? Direction(List<SdpAttribute> attributes)
    {
        foreach (var attribute in attributes)
        {
            switch (attribute.Name)
            {
                case "sendrecv": return MediaDirection.SendRecv;
                case "sendonly": return MediaDirection.SendOnly;
                case "recvonly": return MediaDirection.RecvOnly;
                case "inactive": return MediaDirection.Inactive;
            }
        }
        return null;
    }

    public static string ToAttributeName(MediaDirection direction) => direction switch
    {
        MediaDirection.SendOnly => "sendonly",
        MediaDirection.RecvOnly => "recvonly",
        MediaDirection.Inactive => "inactive",
        _ => "sendrecv",
    };
}
