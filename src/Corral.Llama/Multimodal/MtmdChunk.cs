using System.Runtime.InteropServices;
using Corral.Llama.Native;

namespace Corral.Llama.Multimodal;

/// <summary>
/// One piece of a tokenized multimodal prompt: a run of text tokens, or one image (or audio clip)
/// that evaluates as <see cref="TokenCount"/> embeddings. Owned by its <see cref="MtmdChunks"/>;
/// the scalar properties and <see cref="TextTokens"/> are copied out at creation and stay valid
/// after the owner is disposed, evaluating it does not.
/// </summary>
public sealed unsafe class MtmdChunk
{
    private readonly nint _chunk;
    private readonly int[] _textTokens;

    internal MtmdChunk(MtmdChunks owner, nint chunk, int index)
    {
        Owner = owner;
        Index = index;
        _chunk = chunk;
        Type = (MtmdChunkType)MtmdNative.mtmd_input_chunk_get_type(chunk);
        TokenCount = checked((int)MtmdNative.mtmd_input_chunk_get_n_tokens(chunk));
        PositionCount = MtmdNative.mtmd_input_chunk_get_n_pos(chunk);
        Id = Marshal.PtrToStringUTF8((nint)MtmdNative.mtmd_input_chunk_get_id(chunk));
        if (Type == MtmdChunkType.Text)
        {
            nuint count = 0;
            var tokens = MtmdNative.mtmd_input_chunk_get_tokens_text(chunk, &count);
            _textTokens = new ReadOnlySpan<int>(tokens, checked((int)count)).ToArray();
        }
        else
        {
            _textTokens = [];
        }
    }

    public MtmdChunks Owner { get; }

    /// <summary>Position in <see cref="Owner"/>.</summary>
    public int Index { get; }

    public MtmdChunkType Type { get; }

    /// <summary>The text chunk's token ids; empty for an image or audio chunk.</summary>
    public ReadOnlySpan<int> TextTokens => _textTokens;

    /// <summary>KV cells the chunk fills: text tokens, or the image's embedding count.</summary>
    public int TokenCount { get; }

    /// <summary>
    /// How far the chunk advances n_past. Equals <see cref="TokenCount"/> except for M-RoPE models
    /// (Qwen-VL style), where an image advances by fewer positions than it has embeddings.
    /// </summary>
    public int PositionCount { get; }

    /// <summary>The image's id (its bitmap's <see cref="MtmdBitmap.Id"/>); null for text.</summary>
    public string? Id { get; }

    /// <summary>The native <c>const mtmd_input_chunk*</c>; throws once the owner is disposed.</summary>
    internal nint Pointer
    {
        get
        {
            Owner.ThrowIfDisposed();
            return _chunk;
        }
    }
}
