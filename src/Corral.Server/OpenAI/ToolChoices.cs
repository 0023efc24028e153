using System.Text.Json;
using Corral.Server.Inference;

namespace Corral.Server.OpenAI;

/// <summary>OpenAI's tool_choice, shared by chat completions and responses.</summary>
internal static class ToolChoices
{
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
