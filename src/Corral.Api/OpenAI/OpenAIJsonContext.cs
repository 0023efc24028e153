using System.Text.Json;
using System.Text.Json.Serialization;
using Corral.Api.Json;

namespace Corral.Api.OpenAI;

/// <summary>
/// Source-generated metadata for the OpenAI-compatible wire types. Nulls are left out except where
/// OpenAI always writes the field (content, finish_reason, param, code). Use <see cref="Wire"/> for writing.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ChatCompletionRequest))]
[JsonSerializable(typeof(ChatCompletion))]
[JsonSerializable(typeof(ChatCompletionChunk))]
[JsonSerializable(typeof(CompletionRequest))]
[JsonSerializable(typeof(Completion))]
[JsonSerializable(typeof(EmbeddingsRequest))]
[JsonSerializable(typeof(EmbeddingsResponse))]
[JsonSerializable(typeof(ModelList))]
[JsonSerializable(typeof(ModelObject))]
[JsonSerializable(typeof(OpenAIErrorResponse))]
[JsonSerializable(typeof(IReadOnlyList<ContentPart>))]
public sealed partial class OpenAIJsonContext : JsonSerializerContext
{
    /// <summary>Same metadata with Go's escaping (<see cref="GoJsonEncoder"/>): the bytes Ollama writes.</summary>
    public static OpenAIJsonContext Wire { get; } = new(new JsonSerializerOptions
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = GoJsonEncoder.Instance,
    });
}
