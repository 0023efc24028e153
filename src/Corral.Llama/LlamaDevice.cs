namespace Corral.Llama;

/// <summary>One device a loaded ggml backend registered (the CPU, a GPU), with its memory as the backend reports it.</summary>
/// <param name="Index">Position in ggml's device registry.</param>
/// <param name="Name">ggml's device name ("CPU", "Vulkan0", "CUDA0").</param>
/// <param name="Description">The hardware's name ("NVIDIA H100 80GB HBM3", "llvmpipe (LLVM 15.0.6, 256 bits)").</param>
/// <param name="Type">"cpu", "gpu", "igpu" (integrated), "accel" or "meta".</param>
/// <param name="FreeBytes">Free device memory in bytes, as the backend reports it.</param>
/// <param name="TotalBytes">Total device memory in bytes.</param>
public sealed record LlamaDevice(int Index, string Name, string Description, string Type, long FreeBytes, long TotalBytes)
{
    /// <summary>A device llama.cpp offloads layers to by default (a discrete or integrated GPU).</summary>
    public bool IsGpu => Type is "gpu" or "igpu";

    internal static string TypeName(int type) => type switch
    {
        0 => "cpu",
        1 => "gpu",
        2 => "igpu",
        3 => "accel",
        _ => "meta",
    };
}
