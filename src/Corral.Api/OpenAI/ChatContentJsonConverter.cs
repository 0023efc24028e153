using System.Text.Json.Serialization.Metadata;
using Corral.Api.Json;

namespace Corral.Api.OpenAI;

/// <summary>Reads a string or an array of <see cref="ContentPart"/>.</summary>
public sealed class ChatContentJsonConverter : TextOrListJsonConverter<ChatContent, ContentPart>
{
    protected override string ShapeError => "invalid message content type";

    protected override JsonTypeInfo<IReadOnlyList<ContentPart>> ReadListInfo => OpenAIJsonContext.Default.IReadOnlyListContentPart;

    protected override ChatContent FromText(string text) => new(text);

    protected override ChatContent FromList(IReadOnlyList<ContentPart> items) => new(items);

    protected override string? TextOf(ChatContent value) => value.Text;

    protected override IReadOnlyList<ContentPart> ListOf(ChatContent value) => value.Parts!;
}
