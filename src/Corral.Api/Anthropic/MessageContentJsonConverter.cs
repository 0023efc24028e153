using System.Text.Json.Serialization.Metadata;
using Corral.Api.Json;

namespace Corral.Api.Anthropic;

/// <summary>Reads a string or an array of <see cref="ContentBlock"/>.</summary>
public sealed class MessageContentJsonConverter : TextOrListJsonConverter<MessageContent, ContentBlock>
{
    protected override string ShapeError => "content must be a string or an array of content blocks";

    protected override JsonTypeInfo<IReadOnlyList<ContentBlock>> ReadListInfo => AnthropicJsonContext.Default.IReadOnlyListContentBlock;

    protected override JsonTypeInfo<IReadOnlyList<ContentBlock>> WriteListInfo => AnthropicJsonContext.Wire.IReadOnlyListContentBlock;

    protected override MessageContent FromText(string text) => new(text);

    protected override MessageContent FromList(IReadOnlyList<ContentBlock> items) => new(items);

    protected override string? TextOf(MessageContent value) => value.Text;

    protected override IReadOnlyList<ContentBlock> ListOf(MessageContent value) => value.Blocks!;
}
