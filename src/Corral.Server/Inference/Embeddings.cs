using System.Numerics.Tensors;
using Corral.Api.Native;
using Corral.Server.Http;
using Corral.Server.Models;
using Corral.Server.Observability;
using RunnerEmbeddingRequest = Corral.Runner.Protocol.EmbeddingRequest;

namespace Corral.Server.Inference;

/// <summary>
/// The one embedding path shared by <c>/api/embed</c> and <c>/v1/embeddings</c>: check the model,
/// get a runner, embed normalised vectors, shorten them to the requested dimensions.
/// </summary>
public static class Embeddings
{
    /// <summary>
    /// The model of /api/embed or /v1/embeddings in Ollama's words: a missing name is answered like an unknown
    /// model (404), and an unknown model is the scheduler's "not found, try pulling it first".
    /// </summary>
    public static ResolvedModel ResolveForEmbed(ModelResolver resolver, string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw ApiException.NotFound($"model '{name}' not found");
        }

        return ResolveForEmbeddings(resolver, name);
    }

    /// <summary>The model of the legacy /api/embeddings: a missing name is a 400 "model is required" there.</summary>
    public static ResolvedModel ResolveForEmbeddings(ModelResolver resolver, string? name) =>
        // A name that reaches the lookup is valid, so it holds no quote or backslash: "\"" + name + "\"" is Go's %q of it.
        resolver.Resolve(name, $"model \"{name}\" not found, try pulling it first");

    public static void RequireEmbeddingModel(ResolvedModel model, string name)
    {
        if (!model.IsEmbeddingModel || model.IsRerankModel)
        {
            throw ApiException.BadRequest($"\"{name}\" does not support embeddings");
        }
    }

    public static async Task<EmbeddingResult> EmbedAsync(
        InferenceService inference,
        ResolvedModel model,
        IReadOnlyList<string> inputs,
        ModelOptions? requestOptions,
        KeepAlive? keepAlive,
        bool truncate,
        int dimensions,
        long started,
        CancellationToken cancellation)
    {
        if (dimensions < 0)
        {
            throw ApiException.BadRequest("dimensions must be a positive number");
        }

        var options = inference.EffectiveOptions(model, requestOptions);
        return await inference.WithRunnerAsync(model, options, keepAlive, async lease =>
        {
            await using (lease)
            {
                if (inputs.Count == 0)
                {
                    return new EmbeddingResult([], 0, lease.LoadDurationSince(started));
                }

                var result = await lease.Client.EmbedAsync(
                    new RunnerEmbeddingRequest { Inputs = inputs.ToArray(), Truncate = truncate, Normalize = true },
                    cancellation).ConfigureAwait(false);
                ServerMetrics.RecordEmbedding(model.Name.DisplayShortest(), result.PromptEvalCount);
                var vectors = dimensions > 0 ? result.Embeddings.Select(e => Shorten(e, dimensions)).ToArray() : result.Embeddings;
                return new EmbeddingResult(vectors, result.PromptEvalCount, lease.LoadDurationSince(started));
            }
        }, cancellation).ConfigureAwait(false);
    }

    /// <summary>Matryoshka-style truncation to the first <paramref name="dimensions"/> values, renormalised.</summary>
    public static float[] Shorten(float[] vector, int dimensions)
    {
        if (dimensions >= vector.Length)
        {
            return vector;
        }

        var shortened = vector[..dimensions];
        var norm = TensorPrimitives.Norm(shortened);
        if (norm > 0)
        {
            TensorPrimitives.Divide(shortened, norm, shortened);
        }

        return shortened;
    }
}
