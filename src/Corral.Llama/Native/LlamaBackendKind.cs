namespace Corral.Llama.Native;

/// <summary>Which build of the pinned llama.cpp a process loads.</summary>
public enum LlamaBackendKind
{
    Cpu,
    Vulkan,
    Cuda,
}
