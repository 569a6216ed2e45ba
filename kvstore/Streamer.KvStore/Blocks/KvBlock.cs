namespace Streamer.KvStore;

/// <summary>
/// A KV block as the store moves it between tiers: metadata plus an opaque payload (the
/// layers' key and value tensors laid out as the model likes). Blocks are immutable; every
/// tier may hand out the same instance to several readers.
/// </summary>
public sealed class KvBlock
{
    private int _encodedLength = -1;

    public KvBlock(KvBlockMetadata metadata, ReadOnlyMemory<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        Metadata = metadata;
        Payload = payload;
    }

    public KvBlockMetadata Metadata { get; }

    public KvBlockId Id => Metadata.Id;

    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>
    /// Bytes the block takes in its encoded form. Every tier charges this size against its
    /// budget, so a block costs the same wherever it lives and demotion arithmetic adds up.
    /// </summary>
    public int EncodedLength
    {
        get
        {
            if (_encodedLength < 0)
            {
                _encodedLength = KvBlockCodec.GetEncodedLength(this);
            }
            return _encodedLength;
        }
    }
}
