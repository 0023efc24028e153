using Corral.Llama.Native;

namespace Corral.Llama;

/// <summary>
/// A persistent ggml CPU threadpool for a context, as llama-server attaches one. Without it ggml makes a throwaway pool
/// for every graph it computes (threads created and joined at each decode); with it the workers stay and poll briefly
/// for the next graph (ggml's default polling level), so the step after a decode starts at once.
/// </summary>
public sealed unsafe class LlamaThreadpool : IDisposable
{
    private readonly nint _pool;
    private readonly delegate* unmanaged[Cdecl]<nint, void> _free;
    private LlamaContext? _attached;

    private LlamaThreadpool(nint pool, delegate* unmanaged[Cdecl]<nint, void> free)
    {
        _pool = pool;
        _free = free;
    }

    /// <summary>A pool of <paramref name="threads"/> workers, or null when the CPU backend offers none (another build).</summary>
    public static LlamaThreadpool? TryCreate(int threads)
    {
        LlamaBackend.EnsureInitialized();
        var device = LlamaNative.ggml_backend_dev_by_type(LlamaNative.GgmlDeviceTypeCpu);
        if (device == 0 || threads < 1)
        {
            return null;
        }

        var reg = LlamaNative.ggml_backend_dev_backend_reg(device);
        var create = (delegate* unmanaged[Cdecl]<byte*, nint>)LlamaNative.ggml_backend_reg_get_proc_address(reg, "ggml_threadpool_new");
        var free = (delegate* unmanaged[Cdecl]<nint, void>)LlamaNative.ggml_backend_reg_get_proc_address(reg, "ggml_threadpool_free");
        if (create is null || free is null)
        {
            return null;
        }

        var parameters = stackalloc byte[LlamaNative.ThreadpoolParamsBytes];
        new Span<byte>(parameters, LlamaNative.ThreadpoolParamsBytes).Clear();
        LlamaNative.ggml_threadpool_params_init(parameters, threads);
        var pool = create(parameters);
        return pool == 0 ? null : new LlamaThreadpool(pool, free);
    }

    /// <summary>Makes <paramref name="context"/> compute with this pool, for generation and prompt batches alike.</summary>
    public void AttachTo(LlamaContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        LlamaNative.llama_attach_threadpool(context.Handle, _pool, 0);
        _attached = context;
    }

    /// <summary>Makes the attached context (which must not be decoding) go back to ggml's own pools.</summary>
    public void Detach()
    {
        if (_attached is { } context && !context.Handle.IsClosed)
        {
            LlamaNative.llama_detach_threadpool(context.Handle);
        }

        _attached = null;
    }

    /// <summary>Detaches from a context still open and stops the workers.</summary>
    public void Dispose()
    {
        Detach();
        _free(_pool);
    }
}
