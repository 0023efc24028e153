using System.Text.Json.Serialization;

namespace Corral.Runner.Protocol;

/// <summary>Source-generated serialisation for the private server↔runner protocol.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CompletionRequest))]
[JsonSerializable(typeof(CompletionChunk))]
[JsonSerializable(typeof(EmbeddingRequest))]
[JsonSerializable(typeof(EmbeddingResponse))]
[JsonSerializable(typeof(RerankRequest))]
[JsonSerializable(typeof(RerankResponse))]
[JsonSerializable(typeof(TokenizeRequest))]
[JsonSerializable(typeof(TokenizeResponse))]
[JsonSerializable(typeof(DetokenizeRequest))]
[JsonSerializable(typeof(DetokenizeResponse))]
[JsonSerializable(typeof(RunnerHealth))]
public sealed partial class RunnerJsonContext : JsonSerializerContext;
