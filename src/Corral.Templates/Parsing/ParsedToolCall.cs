using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Corral.Templates.Parsing;

/// <summary>
/// A tool call found in model output. <see cref="Arguments"/> keeps the model's key order; <see cref="Index"/>
/// counts calls within one response from 0.
/// </summary>
public sealed record ParsedToolCall(int Index, string Name, JsonObject Arguments)
{
    // Quotes and non-ASCII stay as written ("\"", "é"), as Go's encoder writes them, instead of \u0022 / \u00e9.
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The arguments as compact JSON, in the model's key order.</summary>
    public string ArgumentsJson => Arguments.ToJsonString(Compact);
}
