namespace Corral.Llama;

/// <summary><c>enum llama_rope_type</c> (values from GGML_ROPE_TYPE_*).</summary>
public enum LlamaRopeType
{
    None = -1,
    Norm = 0,
    Neox = 2,
    MRope = 8,
    IMRope = 40,
    Vision = 24,
}
