using Corral.Llama.Native;
using Microsoft.Win32.SafeHandles;

namespace Corral.Llama.Multimodal;

/// <summary>Owns a <c>mtmd_input_chunks*</c>; frees it with mtmd_input_chunks_free.</summary>
public sealed class SafeMtmdChunksHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public SafeMtmdChunksHandle() : base(ownsHandle: true)
    {
    }

    internal SafeMtmdChunksHandle(nint handle) : base(ownsHandle: true) => SetHandle(handle);

    protected override bool ReleaseHandle()
    {
        MtmdNative.mtmd_input_chunks_free(handle);
        return true;
    }
}
