using System.Collections;
using Corral.Llama.Native;

namespace Corral.Llama.Multimodal;

/// <summary>
/// A tokenized multimodal prompt (<c>mtmd_input_chunks</c>): text and image chunks in prompt order,
/// made by <see cref="MtmdContext.Tokenize"/>. Image chunks hold the preprocessed pixels until disposed.
/// </summary>
public sealed class MtmdChunks : IReadOnlyList<MtmdChunk>, IDisposable
{
    private readonly MtmdChunk[] _chunks;

    internal MtmdChunks(SafeMtmdChunksHandle handle)
    {
        Handle = handle;
        var count = checked((int)MtmdNative.mtmd_input_chunks_size(handle));
        _chunks = new MtmdChunk[count];
        for (var i = 0; i < count; i++)
        {
            _chunks[i] = new MtmdChunk(this, MtmdNative.mtmd_input_chunks_get(handle, (nuint)i), i);
        }

        foreach (var chunk in _chunks)
        {
            TotalTokenCount += chunk.TokenCount;
            TotalPositionCount += chunk.PositionCount;
        }
    }

    public SafeMtmdChunksHandle Handle { get; }

    public int Count => _chunks.Length;

    public MtmdChunk this[int index] => _chunks[index];

    /// <summary>KV cells the whole prompt fills (sum of <see cref="MtmdChunk.TokenCount"/>).</summary>
    public int TotalTokenCount { get; }

    /// <summary>How far the whole prompt advances n_past (sum of <see cref="MtmdChunk.PositionCount"/>).</summary>
    public int TotalPositionCount { get; }

    public IEnumerator<MtmdChunk> GetEnumerator() => ((IEnumerable<MtmdChunk>)_chunks).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public void Dispose() => Handle.Dispose();

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Handle.IsClosed, this);
}
