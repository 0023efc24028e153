using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Corral.Api.OpenAI;
using Corral.Server.Http;
using Corral.Server.Inference;
using Corral.Server.Models;
using Microsoft.AspNetCore.Http;

namespace Corral.Server.OpenAI;

/// <summary><c>POST /v1/embeddings</c> onto the shared embedding path.</summary>
internal static class EmbeddingsHandler
{
    public static async Task HandleAsync(HttpContext http, ModelResolver resolver, InferenceService inference)
    {
        var request = await RequestJson.ReadAsync(http, OpenAIJsonContext.Default.EmbeddingsRequest).ConfigureAwait(false);
        var inputs = Inputs(request.Input);
        var base64 = request.EncodingFormat switch
        {
            null or "float" => false,
            "base64" => true,
            var other => throw ApiException.BadRequest($"invalid encoding_format \"{other}\" (must be \"float\" or \"base64\")"),
        };
        if (request.Dimensions is <= 0)
        {
            throw ApiException.BadRequest("dimensions must be a positive number");
        }

        var model = resolver.Resolve(request.Model);
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
            Usage = new Usage { PromptTokens = result.PromptEvalCount, TotalTokens = result.PromptEvalCount },
        }, OpenAIJsonContext.Wire.EmbeddingsResponse).ConfigureAwait(false);
    }

    /// <summary>A string or an array of strings; token-id input would need detokenizing, which Corral does not do here.</summary>
    private static List<string> Inputs(JsonElement input)
    {
        switch (input.ValueKind)
        {
            case JsonValueKind.String:
                return [input.GetString()!];
            case JsonValueKind.Array:
                var list = new List<string>(input.GetArrayLength());
                foreach (var item in input.EnumerateArray())
                {
                    list.Add(item.ValueKind switch
                    {
                        JsonValueKind.String => item.GetString()!,
                        JsonValueKind.Number or JsonValueKind.Array => throw ApiException.BadRequest("token-id input is not supported: send the text as a string or an array of strings"),
                        _ => throw ApiException.BadRequest("invalid input: each item must be a string"),
                    });
                }

                return list.Count > 0 ? list : throw ApiException.BadRequest("invalid input: the array is empty");
            case JsonValueKind.Undefined or JsonValueKind.Null:
                throw ApiException.BadRequest("input is required");
            default:
                throw ApiException.BadRequest("invalid input: must be a string or an array of strings");
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
