using System.Text.Json.Serialization.Metadata;
using Corral.Api.Json;

namespace Corral.Api.OpenAI.Responses;

/// <summary>Reads a string or an array of <see cref="ResponsesContentPart"/>.</summary>
public sealed class ResponsesContentJsonConverter : TextOrListJsonConverter<ResponsesContent, ResponsesContentPart>
{
    protected override string ShapeError => "content must be a string or an array of content parts";

    protected override JsonTypeInfo<IReadOnlyList<ResponsesContentPart>> ReadListInfo => ResponsesJsonContext.Default.IReadOnlyListResponsesContentPart;

    protected override ResponsesContent FromText(string text) => new(text);

    protected override ResponsesContent FromList(IReadOnlyList<ResponsesContentPart> items) => new(items);

    protected override string? TextOf(ResponsesContent value) => value.Text;

    protected override IReadOnlyList<ResponsesContentPart> ListOf(ResponsesContent value) => value.Parts!;
}
