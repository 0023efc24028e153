using System.Text.Json;
using Corral.Api.OpenAI.Responses;

namespace Corral.Server.OpenAI.Responses;

/// <summary>The response object before any output: id, model, and the request's settings echoed as OpenAI does.</summary>
internal static class ResponseEcho
{
    private static readonly JsonElement Auto = JsonDocument.Parse("\"auto\"").RootElement.Clone();
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    public static ResponseObject Create(ResponsesRequest request) => new()
    {
        Id = ResponseIds.New("resp_"),
        CreatedAt = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        Model = request.Model,
        Instructions = string.IsNullOrEmpty(request.Instructions) ? null : request.Instructions,
        Tools = request.Tools ?? [],
        ToolChoice = request.ToolChoice is { ValueKind: not JsonValueKind.Null } choice ? choice : Auto,
        ParallelToolCalls = request.ParallelToolCalls ?? true,
        Truncation = request.Truncation ?? "disabled",
        Text = new ResponsesText { Format = request.Text?.Format ?? new ResponsesTextFormat { Type = "text" } },
        Temperature = request.Temperature ?? 1f,
        TopP = request.TopP ?? 1f,
        Reasoning = request.Reasoning is { } r
            ? new ResponsesReasoning { Effort = r.Effort, Summary = r.Summary ?? r.GenerateSummary }
            : null,
        MaxOutputTokens = request.MaxOutputTokens,
        Metadata = request.Metadata is { ValueKind: JsonValueKind.Object } metadata ? metadata : EmptyObject,
        User = request.User,
        SafetyIdentifier = request.SafetyIdentifier,
        PromptCacheKey = request.PromptCacheKey,
    };
}
