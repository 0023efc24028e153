namespace Corral.Llama;

/// <summary>When to use flash attention (<c>enum llama_flash_attn_type</c>).</summary>
public enum LlamaFlashAttention
{
    Auto = -1,
    Disabled = 0,
    Enabled = 1,
}
