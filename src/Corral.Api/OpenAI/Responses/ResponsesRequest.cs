using System.Text.Json;
using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI.Responses;

/// <summary>Body of <c>POST /v1/responses</c>.</summary>
public sealed class ResponsesRequest
{
    [JsonPropertyName("model")]
    public string Model { get; set; } = string.Empty;

    /// <summary>A string (one user message) or an array of input items.</summary>
    [JsonPropertyName("input")]
    public ResponsesInput? Input { get; set; }

    /// <summary>A system message put before the input.</summary>
    [JsonPropertyName("instructions")]
    public string? Instructions { get; set; }

    [JsonPropertyName("tools")]
    public IReadOnlyList<ResponsesTool>? Tools { get; set; }

    /// <summary>"none", "auto", "required" or <c>{"type":"function","name":...}</c>.</summary>
    [JsonPropertyName("tool_choice")]
    public JsonElement? ToolChoice { get; set; }

    [JsonPropertyName("parallel_tool_calls")]
    public bool? ParallelToolCalls { get; set; }

    [JsonPropertyName("temperature")]
    public float? Temperature { get; set; }

    [JsonPropertyName("top_p")]
    public float? TopP { get; set; }

    [JsonPropertyName("max_output_tokens")]
    public int? MaxOutputTokens { get; set; }

    /// <summary>Not part of OpenAI's Responses API; honoured when a client sends it anyway.</summary>
    [JsonPropertyName("seed")]
    public int? Seed { get; set; }

    [JsonPropertyName("stream")]
    public bool Stream { get; set; }

    [JsonPropertyName("reasoning")]
    public ResponsesReasoning? Reasoning { get; set; }

    [JsonPropertyName("text")]
    public ResponsesText? Text { get; set; }

    /// <summary>"auto" (drop the oldest turns when the prompt is too long) or "disabled" (fail instead).</summary>
    [JsonPropertyName("truncation")]
    public string? Truncation { get; set; }

    /// <summary>Echoed back and stored with the response.</summary>
    [JsonPropertyName("metadata")]
    public JsonElement? Metadata { get; set; }

    /// <summary>Keep the response (default true, as OpenAI's), so it can be read back and continued.</summary>
    [JsonPropertyName("store")]
    public bool? Store { get; set; }

    /// <summary>A stored response to continue: its input and output items come before <see cref="Input"/>.</summary>
    [JsonPropertyName("previous_response_id")]
    public string? PreviousResponseId { get; set; }

    /// <summary>A conversation id (a string or <c>{"id": ...}</c>): its items come first, and this turn's are added to it.</summary>
    [JsonPropertyName("conversation")]
    public JsonElement? Conversation { get; set; }

    /// <summary>Answer at once with a queued response and run it in the background (poll with GET, stop with cancel).</summary>
    [JsonPropertyName("background")]
    public bool? Background { get; set; }

    [JsonPropertyName("include")]
    public IReadOnlyList<string>? Include { get; set; }

    [JsonPropertyName("user")]
    public string? User { get; set; }

    [JsonPropertyName("service_tier")]
    public string? ServiceTier { get; set; }

    [JsonPropertyName("prompt_cache_key")]
    public string? PromptCacheKey { get; set; }

    [JsonPropertyName("safety_identifier")]
    public string? SafetyIdentifier { get; set; }
}
