using System.Text.Json;
using Corral.Api.Ollama;
using Corral.Server.Http;
using Corral.Server.Inference;

namespace Corral.Server.OpenAI;

/// <summary>OpenAI's tool_choice, shared by chat completions and responses.</summary>
internal static class ToolChoices
{
    /// <summary>
    /// The tools to offer for <paramref name="choice"/>: "none" none, "auto"/"required" all, a named
    /// function (chat's <c>{"type":"function","function":{"name":...}}</c> or the Responses API's
    /// <c>{"type":"function","name":...}</c>) only that one.
    /// </summary>
    public static IReadOnlyList<Tool>? Apply(List<Tool> tools, JsonElement? choice)
    {
        if (choice is not { } c || c.ValueKind == JsonValueKind.Null)
        {
            return tools;
        }

        if (c.ValueKind == JsonValueKind.String)
        {
            return c.GetString() switch
            {
                "none" => null,
                "auto" or "required" => tools,
                var other => throw ApiException.BadRequest($"invalid tool_choice \"{other}\" (must be \"none\", \"auto\", \"required\" or a function)"),
            };
        }

        if (NamedFunction(c) is { } wanted)
        {
            var only = tools.Where(t => t.Function.Name == wanted).ToList();
            return only.Count > 0 ? only : throw ApiException.BadRequest($"tool_choice names function \"{wanted}\", which is not in tools");
        }

        throw ApiException.BadRequest("invalid tool_choice: only \"none\", \"auto\", \"required\" and a named function are supported");
    }

    private static string? NamedFunction(JsonElement choice)
    {
        if (choice.ValueKind != JsonValueKind.Object
            || (choice.TryGetProperty("type", out var type) && !type.ValueEquals("function")))
        {
            return null;
        }

        var holder = choice.TryGetProperty("function", out var function) && function.ValueKind == JsonValueKind.Object ? function : choice;
        return holder.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null;
    }

    /// <summary>"required" and a named function (already checked to name an offered tool) demand a call.</summary>
    public static ToolCallRequirement Requirement(JsonElement? choice, bool? parallelToolCalls)
    {
        var demands = choice switch
        {
            { ValueKind: JsonValueKind.String } c => c.ValueEquals("required"),
            { ValueKind: JsonValueKind.Object } => true,
            _ => false,
        };
        return !demands ? ToolCallRequirement.None : parallelToolCalls == false ? ToolCallRequirement.One : ToolCallRequirement.OneOrMore;
    }
}
