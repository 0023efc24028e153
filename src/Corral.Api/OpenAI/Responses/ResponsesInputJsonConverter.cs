using System.Text.Json.Serialization.Metadata;
using Corral.Api.Json;

namespace Corral.Api.OpenAI.Responses;

/// <summary>Reads <c>input</c> as a string or an array of <see cref="ResponsesInputItem"/>.</summary>
public sealed class ResponsesInputJsonConverter : TextOrListJsonConverter<ResponsesInput, ResponsesInputItem>
{
    protected override string ShapeError => "input must be a string or an array of input items";

    protected override JsonTypeInfo<IReadOnlyList<ResponsesInputItem>> ReadListInfo => ResponsesJsonContext.Default.IReadOnlyListResponsesInputItem;

    protected override ResponsesInput FromText(string text) => new(text);

    protected override ResponsesInput FromList(IReadOnlyList<ResponsesInputItem> items) => new(items);

    protected override string? TextOf(ResponsesInput value) => value.Text;

    protected override IReadOnlyList<ResponsesInputItem> ListOf(ResponsesInput value) => value.Items!;
}
