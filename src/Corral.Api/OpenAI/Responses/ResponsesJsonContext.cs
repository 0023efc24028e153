using System.Text.Json;
using System.Text.Json.Serialization;
using Corral.Api.Json;

namespace Corral.Api.OpenAI.Responses;

/// <summary>
/// Source-generated metadata for the Responses API wire types. Nulls are left out except where OpenAI
/// always writes the field. Use <see cref="Wire"/> for writing.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ResponsesRequest))]
[JsonSerializable(typeof(ResponseObject))]
[JsonSerializable(typeof(ResponseStreamEvent))]
[JsonSerializable(typeof(IReadOnlyList<ResponsesInputItem>))]
[JsonSerializable(typeof(IReadOnlyList<ResponsesContentPart>))]
[JsonSerializable(typeof(List<ResponseOutputItem>))]
[JsonSerializable(typeof(ResponseItemList))]
[JsonSerializable(typeof(DeletedObject))]
[JsonSerializable(typeof(ConversationObject))]
[JsonSerializable(typeof(ConversationRequest))]
public sealed partial class ResponsesJsonContext : JsonSerializerContext
{
    /// <summary>Same metadata with Go's escaping (<see cref="GoJsonEncoder"/>): the bytes Ollama writes.</summary>
    public static ResponsesJsonContext Wire { get; } = new(new JsonSerializerOptions
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = GoJsonEncoder.Instance,
    });
}
