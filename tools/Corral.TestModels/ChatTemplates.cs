namespace Corral.TestModels;

/// <summary>Chat templates embedded in generated models.</summary>
public static class ChatTemplates
{
    /// <summary>
    /// A Llama-3-style Jinja template: bos, then per message a header with the role, a blank line, the trimmed
    /// content and &lt;|eot_id|&gt;; with add_generation_prompt an open assistant header.
    /// </summary>
    public const string Llama3 =
        "{{- bos_token }}" +
        "{%- for message in messages %}" +
        "{{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + message['content'] | trim + '<|eot_id|>' }}" +
        "{%- endfor %}" +
        "{%- if add_generation_prompt %}" +
        "{{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}" +
        "{%- endif %}";
}
