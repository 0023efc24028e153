using System.Text.Json.Serialization;

namespace Corral.Models.Manifests;

/// <summary>One entry of a <see cref="MediaTypes.Messages"/> layer.</summary>
public sealed record ManifestMessage(
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("content")] string Content);
