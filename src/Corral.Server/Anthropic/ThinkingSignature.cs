using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Corral.Server.Anthropic;

/// <summary>
/// The <c>signature</c> of a thinking block. Anthropic's is an opaque token its API verifies when a
/// block is replayed; clients only carry it. Corral verifies nothing (a replayed block is taken as
/// is), so its signature is opaque too: base64 of SHA-256 over the block's thinking text (UTF-8). It
/// is deterministic, the same streamed (signature_delta) and not, and non-empty as clients expect; it
/// proves nothing, anyone can compute it. Ollama sends no signature at all.
/// </summary>
internal sealed class ThinkingSignature : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly Encoder _utf8 = Encoding.UTF8.GetEncoder();

    /// <summary>The signature of a whole thinking text.</summary>
    public static string Of(string thinking) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(thinking)));

    /// <summary>Adds a piece of the thinking text (pieces may split a surrogate pair).</summary>
    public void Append(ReadOnlySpan<char> piece) => Encode(piece, flush: false);

    /// <summary>The signature of everything appended since the last call; starts over.</summary>
    public string Complete()
    {
        Encode([], flush: true);
        return Convert.ToBase64String(_hash.GetHashAndReset());
    }

    public void Dispose() => _hash.Dispose();

    private void Encode(ReadOnlySpan<char> piece, bool flush)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(_utf8.GetByteCount(piece, flush));
        try
        {
            var length = _utf8.GetBytes(piece, buffer, flush);
            _hash.AppendData(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
