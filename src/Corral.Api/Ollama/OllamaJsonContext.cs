using System.Text.Json;
using System.Text.Json.Serialization;
using Corral.Api.Json;

namespace Corral.Api.Ollama;

/// <summary>
/// Source-generated metadata for every native wire type. Null properties are left out (Go's omitempty);
/// fields Ollama always writes opt out per property. Property names match case-insensitively on read,
/// like Go's encoding/json. Timestamps use Go's RFC 3339 form.
/// Use <see cref="Wire"/> for writing to clients: it leaves non-ASCII text unescaped, as Go does.
/// </summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true,
    Converters = [typeof(GoTimeJsonConverter)])]
[JsonSerializable(typeof(GenerateRequest))]
[JsonSerializable(typeof(GenerateResponse))]
[JsonSerializable(typeof(ChatRequest))]
[JsonSerializable(typeof(ChatResponse))]
[JsonSerializable(typeof(EmbedRequest))]
[JsonSerializable(typeof(EmbedResponse))]
[JsonSerializable(typeof(EmbeddingRequest))]
[JsonSerializable(typeof(EmbeddingResponse))]
[JsonSerializable(typeof(ListResponse))]
[JsonSerializable(typeof(ShowRequest))]
[JsonSerializable(typeof(ShowResponse))]
[JsonSerializable(typeof(ProcessResponse))]
[JsonSerializable(typeof(CreateRequest))]
[JsonSerializable(typeof(ProgressResponse))]
[JsonSerializable(typeof(CopyRequest))]
[JsonSerializable(typeof(DeleteRequest))]
[JsonSerializable(typeof(PullRequest))]
[JsonSerializable(typeof(PushRequest))]
[JsonSerializable(typeof(VersionResponse))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(ModelOptions))]
[JsonSerializable(typeof(Message))]
[JsonSerializable(typeof(Tool))]
[JsonSerializable(typeof(KeepAlive))]
[JsonSerializable(typeof(ThinkValue))]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
public sealed partial class OllamaJsonContext : JsonSerializerContext
{
    /// <summary>Same metadata with Go's escaping (<see cref="GoJsonEncoder"/>): the bytes Ollama writes.</summary>
    public static OllamaJsonContext Wire { get; } = new(new JsonSerializerOptions
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNameCaseInsensitive = true,
        Converters = { new GoTimeJsonConverter() },
        Encoder = GoJsonEncoder.Instance,
    });
}
