using Corral.Api.Rerank;
using Corral.Server.Http;
using Corral.Server.Resolution;
using Corral.Server.Observability;
using RunnerRerankRequest = Corral.Runner.Protocol.RerankRequest;

namespace Corral.Server.Inference;

/// <summary>
/// The one rerank path behind <c>/api/rerank</c> and <c>/v1/rerank</c>: validate, check that the model
/// is a reranker, get a runner, score every document, and answer the results best first.
/// </summary>
public static class Reranking
{
    public static async Task<RerankResponse> RerankAsync(InferenceService inference, ModelResolver resolver, RerankRequest request, CancellationToken cancellation)
    {
        var model = resolver.Resolve(request.Model);
        if (!model.IsRerankModel)
        {
            throw ApiException.BadRequest($"\"{request.Model}\" does not support reranking");
        }

        var query = request.Query ?? throw ApiException.BadRequest("query is required");
        var documents = request.Documents ?? throw ApiException.BadRequest("documents is required");
        if (documents.Count == 0)
        {
            throw ApiException.BadRequest("documents must not be empty");
        }

        if (request.TopN is < 0)
        {
            throw ApiException.BadRequest($"invalid top_n {request.TopN}: must be 0 (all) or more");
        }

        var options = inference.EffectiveOptions(model, request.Options);
        var scored = await inference.WithRunnerAsync(model, options, request.KeepAlive, async lease =>
        {
            await using (lease)
            {
                return await lease.Client.RerankAsync(
                    new RunnerRerankRequest { Query = query, Documents = [.. documents], Truncate = request.Truncate ?? true },
                    cancellation).ConfigureAwait(false);
            }
        }, cancellation).ConfigureAwait(false);

        var name = model.Name.DisplayShortest();
        ServerMetrics.RecordEmbedding(name, scored.PromptEvalCount);
        return new RerankResponse
        {
            Model = request.Model,
            Usage = new RerankUsage { PromptTokens = scored.PromptEvalCount, TotalTokens = scored.PromptEvalCount },
            Results = Rank(scored.Scores, documents, request.TopN is > 0 ? request.TopN.Value : documents.Count, request.ReturnDocuments ?? false),
        };
    }

    /// <summary>Results by descending score (ties: request order), the best <paramref name="topN"/> of them.</summary>
    internal static List<RerankResult> Rank(IReadOnlyList<float> scores, IReadOnlyList<string> documents, int topN, bool returnDocuments)
    {
        var order = new int[scores.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) => scores[b].CompareTo(scores[a]) is var c && c != 0 ? c : a.CompareTo(b));
        var results = new List<RerankResult>(Math.Min(topN, order.Length));
        foreach (var index in order.AsSpan(0, Math.Min(topN, order.Length)))
        {
            results.Add(new RerankResult
            {
                Index = index,
                RelevanceScore = scores[index],
                Document = returnDocuments ? new RerankDocument { Text = documents[index] } : null,
            });
        }

        return results;
    }
}
