using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI.Responses;

/// <summary><c>input</c>: a plain string (one user message) or a list of items. Writes back in the form it came in.</summary>
[JsonConverter(typeof(ResponsesInputJsonConverter))]
public sealed class ResponsesInput
{
    public ResponsesInput(string text) => Text = text;

    public ResponsesInput(IReadOnlyList<ResponsesInputItem> items) => Items = items;

    /// <summary>Set when the input was a string.</summary>
    public string? Text { get; }

    /// <summary>Set when the input was an array.</summary>
    public IReadOnlyList<ResponsesInputItem>? Items { get; }
}
