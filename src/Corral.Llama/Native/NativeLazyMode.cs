namespace Corral.Llama.Native;

/// <summary><c>enum llama_lazy_mode</c>.</summary>
public enum NativeLazyMode
{
    Off = 0,
    Auto = 1,
    On = 2,
}
