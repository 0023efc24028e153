namespace Corral.Llama.Native;

/// <summary><c>enum llama_load_mode</c> (replaces the older use_mmap/use_mlock booleans).</summary>
public enum NativeLoadMode
{
    Auto = -1,
    None = 0,
    Mmap = 1,
    Mlock = 2,
    MmapMlock = 3,
    DirectIo = 4,
}
