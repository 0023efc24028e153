using System.Text.Json;
using Corral.Api.Ollama;
using Corral.Llama.Grammar;
using Corral.Server.Http;

namespace Corral.Server.Inference;

/// <summary>
/// Turns a request's <c>format</c> into a GBNF grammar for the runner's sampler: "json" allows any
/// JSON object, a JSON Schema allows exactly its documents. An unsupported schema keyword is a 400
/// naming the keyword, never silently ignored. A raw <c>grammar</c> is checked and passed on as is.
/// </summary>
public static class StructuredOutput
{
    /// <summary>The longest raw grammar accepted, in characters (llama.cpp expands every rule in memory).</summary>
    public const int MaxGrammarLength = 256 * 1024;

    public static string? GrammarFor(JsonElement? format, string? grammar)
    {
        var formatGrammar = GrammarFor(format);
        if (grammar is null)
        {
            return formatGrammar;
        }

        if (formatGrammar is not null)
        {
            throw ApiException.BadRequest("grammar and format cannot be used together");
        }

        if (grammar.Length > MaxGrammarLength)
        {
            throw ApiException.BadRequest($"grammar too long ({grammar.Length} characters): at most {MaxGrammarLength}");
        }

        try
        {
            GbnfSyntax.Check(grammar);
        }
        catch (GbnfSyntaxException ex)
        {
            throw ApiException.BadRequest($"invalid grammar: {ex.Message}");
        }

        return grammar;
    }

    public static string? GrammarFor(JsonElement? format)
    {
        ResponseFormatKind kind;
        try
        {
            kind = ResponseFormat.Classify(format);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or JsonException)
        {
            throw ApiException.BadRequest(ex.Message);
        }

        try
        {
            return kind switch
            {
                ResponseFormatKind.None => null,
                ResponseFormatKind.Json => JsonGrammar.ForAnyJson(),
                _ => JsonSchemaGrammar.Convert(format!.Value),
            };
        }
        catch (JsonSchemaNotSupportedException ex)
        {
            throw ApiException.BadRequest($"invalid JSON schema in format: {ex.Message}");
        }
    }
}
