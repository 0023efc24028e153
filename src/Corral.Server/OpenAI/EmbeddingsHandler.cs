using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Corral.Api.OpenAI;
using Corral.Server.Http;
using Corral.Server.Inference;
using Corral.Server.Resolution;
using Microsoft.AspNetCore.Http;

namespace Corral.Server.OpenAI;

/// <summary><c>POST /v1/embeddings</c> onto the shared embedding path.</summary>
internal static class EmbeddingsHandler
{
    public static async Task HandleAsync(HttpContext http, ModelResolver resolver, InferenceService inference)
    {
        var request = await RequestJson.ReadAsync(http, OpenAIJsonContext.Default.EmbeddingsRequest).ConfigureAwait(false);
        var base64 = Base64(request.EncodingFormat);
        var inputs = Inputs(request.Input);
        if (request.Dimensions is <= 0)
        {
            throw ApiException.BadRequest("dimensions must be a positive number");
        }

        var model = Embeddings.ResolveForEmbed(resolver, request.Model);
        Embeddings.RequireEmbeddingModel(model, request.Model);
        var result = await Embeddings.EmbedAsync(inference, model, inputs, null, null, truncate: true, request.Dimensions ?? 0, Stopwatch.GetTimestamp(), http.RequestAborted).ConfigureAwait(false);
        var data = new List<EmbeddingData>(result.Embeddings.Count);
        for (var i = 0; i < result.Embeddings.Count; i++)
        {
            var vector = result.Embeddings[i];
            data.Add(base64
                ? new EmbeddingData { Index = i, EmbeddingBase64 = ToBase64(vector) }
                : new EmbeddingData { Index = i, Embedding = vector });
        }

        await JsonResponse.WriteAsync(http, new EmbeddingsResponse
        {
            Data = data,
            Model = request.Model,
            Usage = new EmbeddingsUsage { PromptTokens = result.PromptEvalCount, TotalTokens = result.PromptEvalCount },
        }, OpenAIJsonContext.Wire.EmbeddingsResponse).ConfigureAwait(false);
    }

    /// <summary>"float" (the default) or "base64", in any case, as Ollama accepts them; its words otherwise.</summary>
    private static bool Base64(string? format) => format switch
    {
        null or "" => false,
        _ when format.Equals("float", StringComparison.OrdinalIgnoreCase) => false,
        _ when format.Equals("base64", StringComparison.OrdinalIgnoreCase) => true,
        _ => throw ApiException.BadRequest($"Invalid value for 'encoding_format' = {format}. Supported values: ['float', 'base64']."),
    };

    /// <summary>
    /// A string or an array of strings, with Ollama's words for the rest: "invalid input" for no input or an empty
    /// array, "invalid input type" for anything else (token-id input included: it would need detokenizing, which
    /// neither Ollama nor Corral does here).
    /// </summary>
    private static List<string> Inputs(JsonElement input)
    {
        switch (input.ValueKind)
        {
            case JsonValueKind.String:
                return [input.GetString()!];
            case JsonValueKind.Undefined or JsonValueKind.Null:
                throw ApiException.BadRequest("invalid input");
            case JsonValueKind.Array when input.GetArrayLength() == 0:
                throw ApiException.BadRequest("invalid input");
            case JsonValueKind.Array:
                var list = new List<string>(input.GetArrayLength());
                foreach (var item in input.EnumerateArray())
                {
                    list.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw ApiException.BadRequest("invalid input type"));
                }

                return list;
            default:
                throw ApiException.BadRequest("invalid input type");
        }
    }

    /// <summary>Little-endian float32 bytes, base64-encoded, as OpenAI's "base64" encoding_format.</summary>
    internal static string ToBase64(float[] vector)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("base64 embeddings need a little-endian machine");
        }

        return Convert.ToBase64String(MemoryMarshal.AsBytes(vector.AsSpan()));
    }
}
