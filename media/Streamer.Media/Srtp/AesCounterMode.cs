using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Streamer.Media.Srtp;

/// <summary>
/// AES in counter mode as SRTP uses it (RFC 3711 section 4.1.1): the keystream is
/// AES(IV), AES(IV + 1), ... and is XORed into the data. .NET has no CTR mode, so the
/// counter blocks are laid out in a buffer and encrypted many at a time with one ECB
/// transform whose key schedule lives as long as this object.
/// </summary>
/// <remarks>Not thread-safe: the scratch buffers are shared between calls.</remarks>
internal sealed class AesCounterMode : IDisposable
{
    public const int BlockSize = 16;

    // 64 blocks per native call covers a full-size video packet in two calls, while the
    // scratch stays small enough to remain in L1.
    private const int BatchBlocks = 64;

    private readonly Aes _aes;
    private readonly ICryptoTransform _ecb;
    private readonly byte[] _counters = new byte[BatchBlocks * BlockSize];
    private readonly byte[] _keystream = new byte[BatchBlocks * BlockSize];

    public AesCounterMode(ReadOnlySpan<byte> key)
    {
        _aes = Aes.Create();
        _aes.Key = key.ToArray();
#pragma warning disable CA5358 // ECB only encrypts counter blocks here: that is counter mode.
        _aes.Mode = CipherMode.ECB;
#pragma warning restore CA5358
        _aes.Padding = PaddingMode.None;
        _ecb = _aes.CreateEncryptor();
    }

    /// <summary>XORs <paramref name="data"/> with the keystream that starts at counter block <paramref name="iv"/>.</summary>
    public void Transform(ReadOnlySpan<byte> iv, Span<byte> data)
    {
        var counter = BinaryPrimitives.ReadUInt128BigEndian(iv);
        while (!data.IsEmpty)
        {
            var blocks = Math.Min(BatchBlocks, (data.Length + BlockSize - 1) / BlockSize);
            var bytes = blocks * BlockSize;
            for (var i = 0; i < blocks; i++)
            {
                BinaryPrimitives.WriteUInt128BigEndian(_counters.AsSpan(i * BlockSize, BlockSize), counter);
                counter++;
            }

            _ecb.TransformBlock(_counters, 0, bytes, _keystream, 0);
            var chunk = Math.Min(bytes, data.Length);
            Xor(data[..chunk], _keystream.AsSpan(0, chunk));
            data = data[chunk..];
        }
    }

    private static void Xor(Span<byte> data, ReadOnlySpan<byte> keystream)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && data.Length >= Vector<byte>.Count)
        {
            var dataVectors = MemoryMarshal.Cast<byte, Vector<byte>>(data);
            var keyVectors = MemoryMarshal.Cast<byte, Vector<byte>>(keystream);
            for (var v = 0; v < dataVectors.Length; v++)
            {
                dataVectors[v] ^= keyVectors[v];
            }

            i = dataVectors.Length * Vector<byte>.Count;
        }

        for (; i < data.Length; i++)
        {
            data[i] ^= keystream[i];
        }
    }

    public void Dispose()
    {
        _ecb.Dispose();
        _aes.Dispose();
        CryptographicOperations.ZeroMemory(_keystream);
    }
}
