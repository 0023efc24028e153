using System.Text.Json.Serialization;

namespace Corral.Api.Ollama;

/// <summary>Body of <c>DELETE /api/delete</c>.</summary>
public sealed class DeleteRequest
{
    [JsonPropertyName("model")]
    public string? Model { get; set; }

    /// <summary>Legacy spelling of <see cref="Model"/>.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    public string ResolveModel() => !string.IsNullOrEmpty(Model) ? Model : Name ?? string.Empty;
}
