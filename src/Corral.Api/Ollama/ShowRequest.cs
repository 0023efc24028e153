using System.Text.Json.Serialization;

namespace Corral.Api.Ollama;

/// <summary>Body of <c>POST /api/show</c>.</summary>
public sealed class ShowRequest
{
    [JsonPropertyName("model")]
    public string? Model { get; set; }

    /// <summary>Legacy spelling of <see cref="Model"/>.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>Include large metadata arrays (tokenizer vocabularies) in <c>model_info</c>.</summary>
    [JsonPropertyName("verbose")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Verbose { get; set; }

    [JsonPropertyName("system")]
    public string? System { get; set; }

    [JsonPropertyName("template")]
    public string? Template { get; set; }

    [JsonPropertyName("options")]
    public ModelOptions? Options { get; set; }

    /// <summary><see cref="Model"/>, or the legacy <see cref="Name"/> when Model is empty.</summary>
    public string ResolveModel() => !string.IsNullOrEmpty(Model) ? Model : Name ?? string.Empty;
}
