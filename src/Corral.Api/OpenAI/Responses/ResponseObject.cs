using System.Text.Json;
using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI.Responses;

/// <summary>
/// The <c>response</c> object: the answer of a non-streamed request and the payload of the lifecycle
/// stream events. Fields OpenAI always writes are written as null rather than left out, and the request's
/// settings are echoed, since the SDKs read them back.
/// </summary>
public sealed class ResponseObject
{
    [JsonPropertyName("id")]
    public string Id { get; set; } = string.Empty;

    [JsonPropertyName("object")]
    public string ObjectType { get; set; } = "response";

    [JsonPropertyName("created_at")]
    public long CreatedAt { get; set; }

    [JsonPropertyName("completed_at")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public long? CompletedAt { get; set; }

    /// <summary>in_progress, completed, incomplete or failed.</summary>
    [JsonPropertyName("status")]
    public string Status { get; set; } = "in_progress";

    [JsonPropertyName("incomplete_details")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public ResponseIncompleteDetails? IncompleteDetails { get; set; }

    [JsonPropertyName("error")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public ResponseError? Error { get; set; }

    [JsonPropertyName("model")]
    public string Model { get; set; } = string.Empty;

    [JsonPropertyName("previous_response_id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? PreviousResponseId { get; set; }

    [JsonPropertyName("instructions")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Instructions { get; set; }

    [JsonPropertyName("output")]
    public List<ResponseOutputItem> Output { get; set; } = [];

    [JsonPropertyName("tools")]
    public IReadOnlyList<ResponsesTool> Tools { get; set; } = [];

    [JsonPropertyName("tool_choice")]
    public JsonElement ToolChoice { get; set; }

    [JsonPropertyName("parallel_tool_calls")]
    public bool ParallelToolCalls { get; set; } = true;

    [JsonPropertyName("truncation")]
    public string Truncation { get; set; } = "disabled";

    [JsonPropertyName("text")]
    public ResponsesText Text { get; set; } = new();

    [JsonPropertyName("temperature")]
    public float Temperature { get; set; } = 1f;

    [JsonPropertyName("top_p")]
    public float TopP { get; set; } = 1f;

    [JsonPropertyName("presence_penalty")]
    public float PresencePenalty { get; set; }

    [JsonPropertyName("frequency_penalty")]
    public float FrequencyPenalty { get; set; }

    [JsonPropertyName("top_logprobs")]
    public int TopLogprobs { get; set; }

    [JsonPropertyName("reasoning")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public ResponsesReasoning? Reasoning { get; set; }

    [JsonPropertyName("max_output_tokens")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public int? MaxOutputTokens { get; set; }

    [JsonPropertyName("max_tool_calls")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public int? MaxToolCalls { get; set; }

    [JsonPropertyName("usage")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public ResponseUsage? Usage { get; set; }

    /// <summary>Whether the response is kept (OpenAI's default is true); false when the request said so or storage is off.</summary>
    [JsonPropertyName("store")]
    public bool Store { get; set; }

    /// <summary>The conversation this response was added to, when the request named one.</summary>
    [JsonPropertyName("conversation")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public ResponseConversationRef? Conversation { get; set; }

    [JsonPropertyName("background")]
    public bool Background { get; set; }

    [JsonPropertyName("service_tier")]
    public string ServiceTier { get; set; } = "default";

    [JsonPropertyName("metadata")]
    public JsonElement Metadata { get; set; }

    [JsonPropertyName("user")]
    public string? User { get; set; }

    [JsonPropertyName("safety_identifier")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? SafetyIdentifier { get; set; }

    [JsonPropertyName("prompt_cache_key")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? PromptCacheKey { get; set; }
}
