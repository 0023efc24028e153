using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI;

/// <summary>Float array or base64 string, the two forms of an OpenAI embedding.</summary>
[JsonConverter(typeof(EmbeddingValueJsonConverter))]
public readonly record struct EmbeddingValue(float[]? Floats, string? Base64);
