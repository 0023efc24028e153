using System.Globalization;
using System.Net;
using Corral.Api.Ollama;
using Corral.Testing;
using Corral.TestModels;

namespace Corral.Server.Tests.Management;

/// <summary>
/// Speculative decoding through the server: a model created with a DRAFT (create's <c>draft_files</c>), shown with
/// it, loaded with it (the runner drafts: the metrics move), answering exactly as without it; the Ollama refusals
/// (draft_quantize without a draft, an already quantized draft) and Corral's (a draft with another vocabulary).
/// </summary>
public sealed class DraftModelTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task A_model_created_with_a_draft_shows_it_and_answers_exactly_as_without()
    {
        // The random-weights model has the successor's vocabulary and other ideas: most drafts are rejected, and the
        // answer must still be the successor chain.
        var progress = await CreateWithDraftAsync("spec-successor", GeneratedModels.Successor, GeneratedModels.Random);
        Assert.Equal("success", progress[^1].Status);

        var show = await fixture.Client.ShowAsync(new ShowRequest { Model = "spec-successor" });
        var draftDigest = ServerFixture.DigestOf(GeneratedModels.Random);
        Assert.Contains($"DRAFT {Path.Combine(fixture.BlobsPath, draftDigest.Replace(':', '-'))}", show.Modelfile);
        Assert.Equal("llama", show.Details.Family);

        var before = await DraftCountersAsync("spec-successor");
        var answer = await GenerateAsync("spec-successor", "hello a", 20, draftNumPredict: null);
        var after = await DraftCountersAsync("spec-successor");

        Assert.Equal(SuccessorModel.ExpectedContinuation("hello a", 20).Text, answer.Response);
        Assert.True(after.Drafted > before.Drafted, $"drafted {before.Drafted} → {after.Drafted}");
        Assert.True(after.Accepted - before.Accepted < after.Drafted - before.Drafted);

        var off = await GenerateAsync("spec-successor", "count 0", 15, draftNumPredict: 0);
        var afterOff = await DraftCountersAsync("spec-successor");
        Assert.Equal(SuccessorModel.ExpectedContinuation("count 0", 15).Text, off.Response);
        Assert.Equal(after.Drafted, afterOff.Drafted);
    }

    [Fact]
    public async Task A_draft_that_agrees_is_accepted_and_the_answer_is_unchanged()
    {
        await CreateWithDraftAsync("spec-self", GeneratedModels.Successor, GeneratedModels.Successor);
        var before = await DraftCountersAsync("spec-self");
        var answer = await GenerateAsync("spec-self", "count 0", 30, draftNumPredict: 4);
        var after = await DraftCountersAsync("spec-self");

        Assert.Equal(SuccessorModel.ExpectedContinuation("count 0", 30).Text, answer.Response);
        Assert.True(after.Drafted > before.Drafted);
        Assert.Equal(after.Drafted - before.Drafted, after.Accepted - before.Accepted);
    }

    [Fact]
    public async Task A_draft_with_another_vocabulary_is_refused_with_400()
    {
        var model = await fixture.UploadAsync(GeneratedModels.Successor);
        var draft = await fixture.UploadAsync(GeneratedModels.ToolCaller);
        var body = $$"""{"model":"spec-bad","files":{"model.gguf":"{{model}}"},"draft_files":{"draft.gguf":"{{draft}}"},"stream":false}""";
        var (status, error) = await RawApi.SendAsync(fixture.Http, HttpMethod.Post, "/api/create", body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("draft model's vocabulary", error);
    }

    [Fact]
    public async Task Draft_quantize_without_a_draft_and_of_a_quantized_draft_are_refused_as_ollama_does()
    {
        var model = await fixture.UploadAsync(GeneratedModels.Successor);
        var (status, error) = await RawApi.SendAsync(fixture.Http, HttpMethod.Post, "/api/create",
            $$"""{"model":"spec-q","files":{"model.gguf":"{{model}}"},"draft_quantize":"q8_0","stream":false}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("--draft-quantize requires a DRAFT model", error);

        // A quantized draft (made by quantizing one first) cannot be quantized again.
        await CreateWithDraftAsync("spec-q8", GeneratedModels.Successor, GeneratedModels.Random, r => r.DraftQuantize = "q8_0");
        var show = await fixture.Client.ShowAsync(new ShowRequest { Model = "spec-q8" });
        var draftPath = show.Modelfile!.Split('\n').Single(l => l.StartsWith("DRAFT ", StringComparison.Ordinal))["DRAFT ".Length..];
        Assert.NotEqual(ServerFixture.DigestOf(GeneratedModels.Random), ServerFixture.DigestOf(draftPath));
        Assert.Equal("F32", show.Details.QuantizationLevel); // the model itself is untouched
        var answer = await GenerateAsync("spec-q8", "hello a", 10, draftNumPredict: 3);
        Assert.Equal(SuccessorModel.ExpectedContinuation("hello a", 10).Text, answer.Response);

        var quantized = await fixture.UploadAsync(draftPath);
        (status, error) = await RawApi.SendAsync(fixture.Http, HttpMethod.Post, "/api/create",
            $$"""{"model":"spec-qq","files":{"model.gguf":"{{model}}"},"draft_files":{"d.gguf":"{{quantized}}"},"draft_quantize":"q8_0","stream":false}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("draft quantization requires an unquantized draft model, got Q8_0", error);
    }

    [Fact]
    public async Task A_negative_draft_num_predict_is_a_400()
    {
        await CreateWithDraftAsync("spec-neg", GeneratedModels.Successor, GeneratedModels.Successor);
        var (status, error) = await RawApi.SendAsync(fixture.Http, HttpMethod.Post, "/api/generate",
            """{"model":"spec-neg","prompt":"hi","stream":false,"options":{"draft_num_predict":-1}}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("draft_num_predict", error);
    }

    private async Task<List<ProgressResponse>> CreateWithDraftAsync(string name, string model, string draft, Action<CreateRequest>? configure = null)
    {
        var draftDigest = await fixture.UploadAsync(draft);
        return await fixture.CreateFromFileAsync(name, model, r =>
        {
            r.DraftFiles = new() { ["draft.gguf"] = draftDigest };
            configure?.Invoke(r);
        });
    }

    private Task<GenerateResponse> GenerateAsync(string model, string prompt, int numPredict, int? draftNumPredict) =>
        fixture.Client.GenerateAsync(new GenerateRequest
        {
            Model = model,
            Prompt = prompt,
            Raw = true,
            Options = new ModelOptions { NumPredict = numPredict, Temperature = 0, DraftNumPredict = draftNumPredict },
        });

    /// <summary>The draft counters of <paramref name="model"/>'s runner (0 when it is not loaded), from /metrics.</summary>
    private async Task<(long Drafted, long Accepted)> DraftCountersAsync(string model)
    {
        var text = await fixture.Http.GetStringAsync("/metrics");
        long Sum(string family) => text.Split('\n')
            .Where(l => l.StartsWith(family + "{", StringComparison.Ordinal) && l.Contains($"model=\"{model}", StringComparison.Ordinal))
            .Sum(l => long.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
        return (Sum("corral_draft_tokens_drafted_total"), Sum("corral_draft_tokens_accepted_total"));
    }
}
