using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI;

/// <summary>A chat choice's <c>logprobs</c>: <c>{"content": [...]}</c>, one entry per generated token.</summary>
public sealed class ChatLogprobs
{
    [JsonPropertyName("content")]
    public IReadOnlyList<ChatTokenLogprob> Content { get; set; } = [];
}
