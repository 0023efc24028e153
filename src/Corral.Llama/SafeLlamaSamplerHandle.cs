using Corral.Llama.Native;
using Microsoft.Win32.SafeHandles;

namespace Corral.Llama;

/// <summary>
/// Owns a <c>llama_sampler*</c> (normally a chain); frees it with llama_sampler_free, which also
/// frees every sampler the chain owns.
/// </summary>
public sealed class SafeLlamaSamplerHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public SafeLlamaSamplerHandle() : base(ownsHandle: true)
    {
    }

    internal SafeLlamaSamplerHandle(nint handle) : base(ownsHandle: true) => SetHandle(handle);

    protected override bool ReleaseHandle()
    {
        LlamaNative.llama_sampler_free(handle);
        return true;
    }
}
