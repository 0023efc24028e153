namespace Corral.Llama.Native;

/// <summary><c>enum llama_split_mode</c>.</summary>
public enum NativeSplitMode
{
    None = 0,
    Layer = 1,
    Row = 2,
    Tensor = 3,
}
