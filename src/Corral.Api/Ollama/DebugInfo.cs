using System.Text.Json.Serialization;

namespace Corral.Api.Ollama;

/// <summary>Answer to <c>_debug_render_only</c>: the prompt the template produced.</summary>
public sealed class DebugInfo
{
    [JsonPropertyName("rendered_template")]
    public string RenderedTemplate { get; set; } = string.Empty;

    [JsonPropertyName("image_count")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int ImageCount { get; set; }
}
