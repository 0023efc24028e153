using System.Text.Json.Nodes;

namespace Corral.Templates.Parsing;

/// <summary>
/// A tool call found in model output. <see cref="Arguments"/> keeps the model's key order; <see cref="Index"/>
/// counts calls within one response from 0.
/// </summary>
public sealed record ParsedToolCall(int Index, string Name, JsonObject Arguments)
{
    /// <summary>The arguments as compact JSON, in the model's key order.</summary>
    public string ArgumentsJson => Arguments.ToJsonString();
}
