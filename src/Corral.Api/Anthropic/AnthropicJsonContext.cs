using System.Text.Json;
using System.Text.Json.Serialization;
using Corral.Api.Json;

namespace Corral.Api.Anthropic;

/// <summary>
/// Source-generated metadata for the Anthropic Messages wire types. Nulls are left out except where
/// Anthropic always writes the field (stop_reason, stop_sequence). Use <see cref="Wire"/> for writing.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(MessagesRequest))]
[JsonSerializable(typeof(MessageResponse))]
[JsonSerializable(typeof(StreamEvent))]
[JsonSerializable(typeof(CountTokensResponse))]
[JsonSerializable(typeof(AnthropicErrorResponse))]
[JsonSerializable(typeof(IReadOnlyList<ContentBlock>))]
public sealed partial class AnthropicJsonContext : JsonSerializerContext
{
    /// <summary>Same metadata with Go's escaping (<see cref="GoJsonEncoder"/>): the bytes Ollama writes.</summary>
    public static AnthropicJsonContext Wire { get; } = new(new JsonSerializerOptions
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = GoJsonEncoder.Instance,
    });
}
