namespace Streamer.KvStore;

/// <summary>The fixed-size start of an encoded block: enough to skip or size the record.</summary>
public readonly record struct KvBlockRecordHeader(ushort Version, int TotalLength, int MetadataLength, int PayloadLength)
{
    /// <summary>Bytes from the record start to the end of the metadata.</summary>
    public int HeaderAndMetadataLength => KvBlockCodec.HeaderLength + MetadataLength;
}
