using System.Numerics.Tensors;
using Corral.Api.Ollama;
using Corral.Server.Http;
using Corral.Server.Resolution;
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

        CheckInputCount(inputs.Count, model.EmbeddingLength);
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

    /// <summary>The float payload one request may ask for: its vectors are held whole on both sides of the runner socket.</summary>
    public const long MaxVectorBytes = 256L * 1024 * 1024;

    /// <summary>
    /// Ollama embeds any number of inputs, but each costs a vector of the model's width in the runner, here and in the
    /// answer, while an input can be a single character: bound the count by the vectors' size (16384 inputs for a
    /// 4096-wide model, 87381 for a 768-wide one), never below OpenAI's 2048.
    /// </summary>
    public static void CheckInputCount(int count, int embeddingLength)
    {
        var limit = (int)Math.Max(2048, MaxVectorBytes / (sizeof(float) * (long)Math.Max(1, embeddingLength)));
        if (count > limit)
        {
            throw ApiException.BadRequest($"too many inputs ({count}): this model embeds at most {limit} in one request");
        }
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
