using System.Runtime.InteropServices;
using Corral.Llama.Native;

namespace Corral.Llama.Multimodal;

/// <summary>
/// A decoded image (RGB pixels) ready for <see cref="MtmdContext.Tokenize"/>. Made by
/// <see cref="MtmdContext.DecodeImage"/>. Tokenizing copies what it needs, so a bitmap may be
/// disposed as soon as the chunks exist.
/// </summary>
public sealed unsafe class MtmdBitmap : IDisposable
{
    internal MtmdBitmap(SafeMtmdBitmapHandle handle)
    {
        Handle = handle;
        Width = (int)MtmdNative.mtmd_bitmap_get_nx(handle);
        Height = (int)MtmdNative.mtmd_bitmap_get_ny(handle);
    }

    public SafeMtmdBitmapHandle Handle { get; }

    public int Width { get; }

    public int Height { get; }

    /// <summary>
    /// Identifies the image in the chunks made from it (<see cref="MtmdChunk.Id"/>). Decoding sets it to
    /// the lowercase hex SHA-256 of the encoded bytes, so equal files get equal ids (a prefix-cache key).
    /// </summary>
    public string? Id
    {
        get
        {
            ObjectDisposedException.ThrowIf(Handle.IsClosed, this);
            return Marshal.PtrToStringUTF8((nint)MtmdNative.mtmd_bitmap_get_id(Handle));
        }
        set
        {
            ObjectDisposedException.ThrowIf(Handle.IsClosed, this);
            MtmdNative.mtmd_bitmap_set_id(Handle, value);
        }
    }

    public void Dispose() => Handle.Dispose();
}
