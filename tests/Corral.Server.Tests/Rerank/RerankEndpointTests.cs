using System.Net;
using System.Text;
using System.Text.Json;
using Corral.Api.Client;
using Corral.Api.Ollama;
using Corral.Api.Rerank;
using Corral.Server.Tests.Observability;
using Corral.Testing;

namespace Corral.Server.Tests.Rerank;

/// <summary>/api/rerank and /v1/rerank against a real server and runner on the generated reranker.</summary>
public sealed class RerankEndpointTests(RerankServerFixture fx) : IClassFixture<RerankServerFixture>
{
    private static readonly string[] RerankOnly = ["rerank"];
    private static readonly string[] EmbeddingOnly = ["embedding"];

    private const string Query = "where is the cat";

    private static readonly string[] Documents =
    [
        "the cat is on the road",
        "blue sky and green tree",
        "a dog eats bread",
        "the cat",
        "what time is it",
        "hello world",
    ];

    [Fact]
    public async Task Results_are_a_permutation_of_the_documents_best_first()
    {
        var response = await fx.Client.RerankAsync(new RerankRequest { Model = "reranker", Query = Query, Documents = Documents });

        Assert.Equal("reranker", response.Model);
        Assert.Equal("list", response.ObjectType);
        Assert.Equal(Enumerable.Range(0, Documents.Length), response.Results.Select(r => r.Index).Order());
        Assert.All(response.Results, r => Assert.True(float.IsFinite(r.RelevanceScore)));
        for (var i = 1; i < response.Results.Count; i++)
        {
            Assert.True(response.Results[i - 1].RelevanceScore >= response.Results[i].RelevanceScore, "sorted by relevance_score, descending");
        }

        Assert.True(response.Results.Select(r => r.RelevanceScore).Distinct().Count() > 1, "the scores vary with the document");
        Assert.All(response.Results, r => Assert.Null(r.Document));
        Assert.True(response.Usage.PromptTokens > Documents.Length * 3);
        Assert.Equal(response.Usage.PromptTokens, response.Usage.TotalTokens);
    }

    [Fact]
    public async Task Relevance_scores_match_an_independent_forward_pass_of_the_generated_weights()
    {
        // RerankReference recomputes each pair's logit from the GGUF's tensors in plain float math.
        // llama.cpp is up to 5.2e-4 away (ggml's fp16 GELU table, float rounding; measured on the CPU
        // backend), far below the scores' spread of about 0.5.
        const float tolerance = 2e-3f;
        string[] documents = ["the cat is on the road", "blue sky and green tree", "the cat", "what time is it", "hello world"];
        var reference = new RerankReference(GeneratedModels.Reranker);

        var response = await fx.Client.RerankAsync(new RerankRequest { Model = "reranker", Query = Query, Documents = documents });

        Assert.Equal(documents.Length, response.Results.Count);
        Assert.All(response.Results, r =>
        {
            var expected = reference.Score(Query, documents[r.Index]);
            Assert.True(Math.Abs(expected - r.RelevanceScore) <= tolerance, $"'{documents[r.Index]}': server {r.RelevanceScore}, reference {expected}");
        });
        Assert.Equal(documents.Sum(d => reference.PairTokens(Query, d).Length), response.Usage.PromptTokens);
    }

    [Fact]
    public async Task Top_n_keeps_the_best_and_return_documents_adds_their_texts()
    {
        var all = await fx.Client.RerankAsync(new RerankRequest { Model = "reranker", Query = Query, Documents = Documents });
        var top = await fx.Client.RerankAsync(new RerankRequest { Model = "reranker", Query = Query, Documents = Documents, TopN = 2, ReturnDocuments = true });

        Assert.Equal(2, top.Results.Count);
        Assert.Equal(all.Results.Take(2).Select(r => (r.Index, r.RelevanceScore)), top.Results.Select(r => (r.Index, r.RelevanceScore)));
        Assert.All(top.Results, r => Assert.Equal(Documents[r.Index], r.Document?.Text));
        Assert.Equal(all.Usage.PromptTokens, top.Usage.PromptTokens);

        var more = await fx.Client.RerankAsync(new RerankRequest { Model = "reranker", Query = Query, Documents = Documents, TopN = 100 });
        Assert.Equal(Documents.Length, more.Results.Count);
    }

    [Fact]
    public async Task Same_request_twice_and_any_document_order_give_identical_scores()
    {
        var first = Scores(await fx.Client.RerankAsync(new RerankRequest { Model = "reranker", Query = Query, Documents = Documents }), Documents);
        var again = Scores(await fx.Client.RerankAsync(new RerankRequest { Model = "reranker", Query = Query, Documents = Documents }), Documents);
        var reversedDocuments = Documents.Reverse().ToArray();
        var reversed = Scores(await fx.Client.RerankAsync(new RerankRequest { Model = "reranker", Query = Query, Documents = reversedDocuments }), reversedDocuments);

        Assert.Equal(first, again);
        Assert.Equal(first, reversed);
    }

    [Fact]
    public async Task V1_route_accepts_cohere_style_document_objects_and_answers_the_same()
    {
        var body = JsonSerializer.Serialize(new
        {
            model = "reranker",
            query = Query,
            documents = Documents.Select(d => new { text = d, id = "x" }),
            top_n = 3,
            return_documents = true,
        });
        using var response = await fx.Http.PostAsync("/v1/rerank", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var v1 = JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(), RerankJsonContext.Default.RerankResponse)!;
        var native = await fx.Client.RerankAsync(new RerankRequest { Model = "reranker", Query = Query, Documents = Documents, TopN = 3 });

        Assert.Equal(native.Results.Select(r => (r.Index, r.RelevanceScore)), v1.Results.Select(r => (r.Index, r.RelevanceScore)));
        Assert.All(v1.Results, r => Assert.Equal(Documents[r.Index], r.Document?.Text));
    }

    [Theory]
    [InlineData("""{"query":"q","documents":["a"]}""", 400, "model is required")]
    [InlineData("""{"model":"reranker","documents":["a"]}""", 400, "query is required")]
    [InlineData("""{"model":"reranker","query":"q"}""", 400, "documents is required")]
    [InlineData("""{"model":"reranker","query":"q","documents":[]}""", 400, "documents must not be empty")]
    [InlineData("""{"model":"reranker","query":"q","documents":[1]}""", 400, "documents must be an array of strings")]
    [InlineData("""{"model":"reranker","query":"q","documents":["a"],"top_n":-1}""", 400, "invalid top_n -1")]
    [InlineData("""{"model":"nope","query":"q","documents":["a"]}""", 404, "model 'nope' not found")]
    [InlineData("""{"model":"embedder","query":"q","documents":["a"]}""", 400, "\"embedder\" does not support reranking")]
    [InlineData("""{"model":"successor","query":"q","documents":["a"]}""", 400, "\"successor\" does not support reranking")]
    public async Task Bad_requests_fail_in_each_routes_error_shape(string body, int status, string message)
    {
        using var native = await fx.Http.PostAsync("/api/rerank", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(status, (int)native.StatusCode);
        using (var error = JsonDocument.Parse(await native.Content.ReadAsStringAsync()))
        {
            Assert.Contains(message, error.RootElement.GetProperty("error").GetString());
        }

        using var v1 = await fx.Http.PostAsync("/v1/rerank", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(status, (int)v1.StatusCode);
        using (var error = JsonDocument.Parse(await v1.Content.ReadAsStringAsync()))
        {
            var inner = error.RootElement.GetProperty("error");
            Assert.Contains(message, inner.GetProperty("message").GetString());
            Assert.Equal(JsonValueKind.String, inner.GetProperty("type").ValueKind);
        }
    }

    [Fact]
    public async Task The_typed_client_surfaces_the_error()
    {
        var error = await Assert.ThrowsAsync<OllamaApiException>(() =>
            fx.Client.RerankAsync(new RerankRequest { Model = "embedder", Query = Query, Documents = Documents }));
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
    }

    [Fact]
    public async Task A_reranker_shows_the_rerank_capability_and_refuses_embeddings()
    {
        var show = await fx.Client.ShowAsync(new ShowRequest { Model = "reranker" });
        Assert.Equal(RerankOnly, show.Capabilities);
        var embedder = await fx.Client.ShowAsync(new ShowRequest { Model = "embedder" });
        Assert.Equal(EmbeddingOnly, embedder.Capabilities);

        var error = await Assert.ThrowsAsync<OllamaApiException>(() =>
            fx.Client.EmbedAsync(new EmbedRequest { Model = "reranker", Input = new Corral.Api.Json.StringOrArray("hello") }));
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Contains("does not support embeddings", error.ErrorMessage);
    }

    [Theory]
    [InlineData("/api/rerank")]
    [InlineData("/v1/rerank")]
    public async Task A_read_key_is_refused_and_an_infer_key_is_served(string route)
    {
        var body = """{"model":"reranker","query":"where is the cat","documents":["the cat","hello world"]}""";
        using var read = fx.CreateClient(RerankServerFixture.ReadKey);
        using var refused = await read.PostAsync(route, new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        using var none = fx.CreateClient(key: null);
        using var anonymous = await none.PostAsync(route, new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        using var served = await fx.Http.PostAsync(route, new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    [Fact]
    public async Task Metrics_count_rerank_requests_by_route_and_their_prompt_tokens_by_model()
    {
        var before = await ScrapeAsync();
        var response = await fx.Client.RerankAsync(new RerankRequest { Model = "reranker", Query = Query, Documents = Documents });
        var after = await ScrapeAsync();

        double Delta(string name, params (string, string)[] labels) => after.Value(name, labels) - before.Value(name, labels);
        Assert.Equal(1, Delta("corral_http_requests_total", ("route", "/api/rerank"), ("method", "POST"), ("status", "200")));
        Assert.Equal(response.Usage.PromptTokens, Delta("corral_prompt_tokens_total", ("model", "reranker:latest")));
    }

    private async Task<PrometheusScrape> ScrapeAsync() => PrometheusTextParser.Parse(await fx.Http.GetStringAsync("/metrics"));

    /// <summary>Each document's score, in the given document order.</summary>
    private static float[] Scores(RerankResponse response, string[] documents)
    {
        var byText = new Dictionary<string, float>();
        foreach (var result in response.Results)
        {
            byText[documents[result.Index]] = result.RelevanceScore;
        }

        return Documents.Select(d => byText[d]).ToArray();
    }
}
