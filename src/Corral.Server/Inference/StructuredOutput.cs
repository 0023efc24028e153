using System.Text.Json;
using Corral.Api.Native;
using Corral.Llama.Grammar;
using Corral.Server.Http;

namespace Corral.Server.Inference;

/// <summary>
/// Turns a request's <c>format</c> into a GBNF grammar for the runner's sampler: "json" allows any
/// JSON object, a JSON Schema allows exactly its documents. An unsupported schema keyword is a 400
/// naming the keyword, never silently ignored.
/// </summary>
public static class StructuredOutput
{
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
