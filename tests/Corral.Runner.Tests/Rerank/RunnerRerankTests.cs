using Corral.Runner.Client;
using Corral.Runner.Protocol;
using Corral.Testing;

namespace Corral.Runner.Tests.Rerank;

/// <summary>The runner's /rerank on the generated cross-encoder: one score per pair, packed as sequences of one batch.</summary>
public sealed class RunnerRerankTests(RerankRunnerFixture fixture) : IClassFixture<RerankRunnerFixture>
{
    private const string Query = "where is the cat";

    private static readonly string[] Documents =
    [
        "the cat is on the road",
        "blue sky and green tree",
        "a dog eats bread",
        "the cat",
        "what time is it",
    ];

    private RunnerClient Client => fixture.Reranker.Client;

    [Fact]
    public async Task Every_document_gets_a_finite_score_and_the_scores_differ()
    {
        var result = await Client.RerankAsync(new RerankRequest { Query = Query, Documents = Documents }, CancellationToken.None);

        Assert.Equal(Documents.Length, result.Scores.Length);
        Assert.All(result.Scores, s => Assert.True(float.IsFinite(s)));
        Assert.Equal(Documents.Length, result.Scores.Distinct().Count());
    }

    [Fact]
    public async Task Prompt_eval_count_is_cls_query_sep_document_for_each_pair()
    {
        // The BERT vocabulary adds BOS ([CLS]) and SEP but no EOS: [CLS] query [SEP] document, as llama-server forms it.
        var query = (await Client.TokenizeAsync(Query, CancellationToken.None, addSpecial: false)).Length;
        var expected = 0;
        foreach (var document in Documents)
        {
            expected += 2 + query + (await Client.TokenizeAsync(document, CancellationToken.None, addSpecial: false)).Length;
        }

        var result = await Client.RerankAsync(new RerankRequest { Query = Query, Documents = Documents }, CancellationToken.None);

        Assert.Equal(expected, result.PromptEvalCount);
    }

    [Fact]
    public async Task Same_request_twice_gives_identical_scores()
    {
        var first = await Client.RerankAsync(new RerankRequest { Query = Query, Documents = Documents }, CancellationToken.None);
        var second = await Client.RerankAsync(new RerankRequest { Query = Query, Documents = Documents }, CancellationToken.None);

        Assert.Equal(first.Scores, second.Scores);
    }

    [Fact]
    public async Task Reordering_the_documents_gives_every_document_exactly_the_same_score()
    {
        var together = await Client.RerankAsync(new RerankRequest { Query = Query, Documents = Documents }, CancellationToken.None);
        var reversed = await Client.RerankAsync(new RerankRequest { Query = Query, Documents = Documents.Reverse().ToArray() }, CancellationToken.None);
        var rotated = await Client.RerankAsync(new RerankRequest { Query = Query, Documents = [.. Documents[2..], .. Documents[..2]] }, CancellationToken.None);

        for (var i = 0; i < Documents.Length; i++)
        {
            Assert.Equal(together.Scores[i], reversed.Scores[Documents.Length - 1 - i]);
            Assert.Equal(together.Scores[i], rotated.Scores[(i + Documents.Length - 2) % Documents.Length]);
        }
    }

    [Fact]
    public async Task A_repeated_document_gets_one_score_and_its_tokens_counted_each_time()
    {
        var once = await Client.RerankAsync(new RerankRequest { Query = Query, Documents = Documents[..2] }, CancellationToken.None);
        var twice = await Client.RerankAsync(new RerankRequest { Query = Query, Documents = [Documents[0], Documents[1], Documents[0]] }, CancellationToken.None);

        Assert.Equal([once.Scores[0], once.Scores[1], once.Scores[0]], twice.Scores);
        var first = once.PromptEvalCount - (await Client.RerankAsync(new RerankRequest { Query = Query, Documents = [Documents[1]] }, CancellationToken.None)).PromptEvalCount;
        Assert.Equal(once.PromptEvalCount + first, twice.PromptEvalCount);
    }

    [Fact]
    public async Task Scores_match_an_independent_forward_pass_of_the_generated_weights()
    {
        // RerankReference recomputes each pair's logit from the GGUF's tensors in plain float math.
        // Tolerance: ggml's fp16 GELU table and float rounding put llama.cpp up to 5.2e-4 away (measured,
        // CPU backend); the scores spread over about 0.5, so a wrong pair layout, pooling or head is not
        // within 2e-3.
        const float tolerance = 2e-3f;
        string[] documents = ["the cat is on the road", "blue sky and green tree", "the cat", "what time is it", "a dog eat bread"];
        var reference = new RerankReference(GeneratedModels.Reranker);
        var expected = documents.Select(d => reference.Score(Query, d)).ToArray();
        Assert.True(expected.Max() - expected.Min() > 50 * tolerance, $"the reference scores barely differ: {string.Join(", ", expected)}");

        var result = await Client.RerankAsync(new RerankRequest { Query = Query, Documents = documents }, CancellationToken.None);

        Assert.Equal(documents.Sum(d => reference.PairTokens(Query, d).Length), result.PromptEvalCount);
        for (var i = 0; i < documents.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - result.Scores[i]) <= tolerance, $"'{documents[i]}': runner {result.Scores[i]}, reference {expected[i]}");
        }
    }

    [Fact]
    public async Task A_documents_score_alone_matches_its_score_among_others_up_to_batch_numerics()
    {
        // Not bit-exact: with other sequences in the batch ggml sums attention over more cells and
        // runs the head as a gemm instead of a mat-vec, which moves the last bits (about 1e-6 here).
        var together = await Client.RerankAsync(new RerankRequest { Query = Query, Documents = Documents }, CancellationToken.None);
        for (var i = 0; i < Documents.Length; i++)
        {
            var alone = await Client.RerankAsync(new RerankRequest { Query = Query, Documents = [Documents[i]] }, CancellationToken.None);
            Assert.Equal(together.Scores[i], alone.Scores[0], 1e-4f);
        }
    }

    [Fact]
    public async Task More_documents_than_sequences_in_a_batch_are_scored_over_several_batches()
    {
        // The runner packs at most 8 sequences per batch for embedding models: 20 pairs need three.
        var many = Enumerable.Range(0, 20).Select(i => Documents[i % Documents.Length] + new string('!', i)).ToArray();
        var result = await Client.RerankAsync(new RerankRequest { Query = Query, Documents = many }, CancellationToken.None);

        Assert.Equal(many.Length, result.Scores.Length);
        Assert.All(result.Scores, s => Assert.True(float.IsFinite(s)));
        var last = await Client.RerankAsync(new RerankRequest { Query = Query, Documents = [many[^1]] }, CancellationToken.None);
        Assert.Equal(result.Scores[^1], last.Scores[0], 1e-4f);
    }

    [Fact]
    public async Task A_pair_longer_than_the_context_is_cut_or_refused_when_truncate_is_off()
    {
        var longDocument = string.Join(' ', Enumerable.Repeat("the cat is on the road", 60));
        var cut = await Client.RerankAsync(new RerankRequest { Query = Query, Documents = [longDocument] }, CancellationToken.None);
        Assert.Equal(128, cut.PromptEvalCount);

        var error = await Assert.ThrowsAsync<RunnerException>(() =>
            Client.RerankAsync(new RerankRequest { Query = Query, Documents = [longDocument], Truncate = false }, CancellationToken.None));
        Assert.Contains("exceeds the context length", error.Message);
    }

    [Fact]
    public async Task An_embedding_model_cannot_rerank_and_a_reranker_has_no_embeddings()
    {
        var noRank = await Assert.ThrowsAsync<RunnerException>(() =>
            fixture.Embedder.Client.RerankAsync(new RerankRequest { Query = Query, Documents = Documents }, CancellationToken.None));
        Assert.Equal("this model does not support reranking", noRank.Message);

        var noEmbed = await Assert.ThrowsAsync<RunnerException>(() =>
            Client.EmbedAsync(new EmbeddingRequest { Inputs = ["hello"] }, CancellationToken.None));
        Assert.Contains("reranker", noEmbed.Message);
    }
}
