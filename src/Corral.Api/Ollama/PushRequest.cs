using System.Text.Json.Serialization;

namespace Corral.Api.Ollama;

/// <summary>Body of <c>POST /api/push</c>.</summary>
public sealed class PushRequest
{
    [JsonPropertyName("model")]
    public string? Model { get; set; }

    /// <summary>Allow plain HTTP and unverified TLS to the registry.</summary>
    [JsonPropertyName("insecure")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Insecure { get; set; }

    [JsonPropertyName("stream")]
    public bool? Stream { get; set; }

    /// <summary>Legacy spelling of <see cref="Model"/>.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonIgnore]
    public bool IsStreaming => Stream ?? true;

    public string ResolveModel() => !string.IsNullOrEmpty(Model) ? Model : Name ?? string.Empty;
}
