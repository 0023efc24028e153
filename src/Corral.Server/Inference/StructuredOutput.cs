using System.Text.Json;
using Corral.Api.Native;
using Corral.Server.Http;

namespace Corral.Server.Inference;

/// <summary>Turns a request's <c>format</c> into a grammar for the runner's sampler.</summary>
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

        return kind switch
        {
            ResponseFormatKind.None => null,
            _ => throw ApiException.BadRequest("structured outputs (format) are not supported yet"),
        };
    }
}
