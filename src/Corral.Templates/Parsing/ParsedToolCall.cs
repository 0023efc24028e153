using System.Text.Json;
using System.Text.Json.Nodes;
using Corral.Api.Json;

namespace Corral.Templates.Parsing;

/// <summary>
/// A tool call found in model output. <see cref="Arguments"/> keeps the model's key order; <see cref="Index"/>
/// counts calls within one response from 0.
/// </summary>
public sealed record ParsedToolCall(int Index, string Name, JsonObject Arguments)
{
    // Escaped as Ollama's json.Marshal of the arguments escapes them ("\"", raw "é", "\u003c"), not \u0022 / \u00e9.
    private static readonly JsonSerializerOptions Compact = new() { Encoder = GoJsonEncoder.Instance };

    /// <summary>The arguments as compact JSON, in the model's key order.</summary>
    public string ArgumentsJson => Arguments.ToJsonString(Compact);
}
