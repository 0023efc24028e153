using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Corral.Server.Tests.Inference;

/// <summary>
/// llama.cpp's samplers that Ollama lacks (issue 18, ollama/ollama#7504): DRY, XTC, top_n_sigma, and the extra /v1
/// fields, each shown to change what a model says against a baseline with the same seed. The successor model is all
/// but certain of its next token (the alphabet, or counting digits), so DRY and XTC show as a different greedy token;
/// the random model spreads its probability, so samplers that narrow the candidates show as sampling that follows
/// the greedy path.
/// </summary>
public sealed class LlamaSamplerTests(InferenceServerFixture fx) : IClassFixture<InferenceServerFixture>
{
    private const string Repetitive = "01234567890123456789";

    private const string RandomPrompt = "The quick brown fox";

    [Fact]
    public async Task Dry_breaks_a_repetitive_greedy_continuation()
    {
        var baseline = await GenerateAsync(Repetitive, new JsonObject { ["num_predict"] = 4, ["repeat_penalty"] = 1 });
        Assert.Equal("0123", baseline);

        // The prompt's last ten tokens repeat its first ten, and '0' came next then: DRY makes it lose 2 · 1.75^8.
        var dry = await GenerateAsync(Repetitive, new JsonObject { ["num_predict"] = 4, ["repeat_penalty"] = 1, ["dry_multiplier"] = 2 });
        Assert.False(dry.StartsWith('0'), dry);

        // A window of -1 (the context) or far past it is the context; a window too short to see the repeat is no DRY.
        foreach (var window in new[] { -1, int.MaxValue })
        {
            var wide = await GenerateAsync(Repetitive, new JsonObject { ["num_predict"] = 4, ["repeat_penalty"] = 1, ["dry_multiplier"] = 2, ["dry_penalty_last_n"] = window });
            Assert.Equal(dry, wide);
        }

        var tooShort = await GenerateAsync(Repetitive, new JsonObject { ["num_predict"] = 4, ["repeat_penalty"] = 1, ["dry_multiplier"] = 2, ["dry_penalty_last_n"] = 2 });
        Assert.Equal(baseline, tooShort);
    }

    [Fact]
    public async Task Dry_sequence_breakers_stop_a_repeat_at_the_breaker()
    {
        var dry = await GenerateAsync(Repetitive, new JsonObject { ["num_predict"] = 4, ["repeat_penalty"] = 1, ["dry_multiplier"] = 2, ["dry_sequence_breakers"] = new JsonArray("x") });
        Assert.False(dry.StartsWith('0'), dry);

        // Every digit a breaker: no repeat reaches past the last token, so nothing is penalised.
        var breakers = new JsonArray("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        var broken = await GenerateAsync(Repetitive, new JsonObject { ["num_predict"] = 4, ["repeat_penalty"] = 1, ["dry_multiplier"] = 2, ["dry_sequence_breakers"] = breakers });
        Assert.Equal("0123", broken);
    }

    [Fact]
    public async Task Xtc_with_certain_probability_and_no_threshold_removes_the_top_choice()
    {
        var baseline = await GenerateAsync("a", new JsonObject { ["num_predict"] = 3, ["seed"] = 11 });
        Assert.Equal("bcd", baseline);

        var xtc = await GenerateAsync("a", new JsonObject { ["num_predict"] = 3, ["seed"] = 11, ["xtc_probability"] = 1, ["xtc_threshold"] = 0 });
        Assert.False(xtc.StartsWith('b'), xtc);

        // A threshold over 0.5 can never find two choices to drop: XTC is off.
        var off = await GenerateAsync("a", new JsonObject { ["num_predict"] = 3, ["seed"] = 11, ["xtc_probability"] = 1, ["xtc_threshold"] = 0.6 });
        Assert.Equal(baseline, off);
    }

    [Fact]
    public async Task Top_n_sigma_narrows_the_candidates_to_the_top_token()
    {
        // The random model spreads its probability, so sampling at temperature 1 leaves the greedy path; top_n_sigma
        // 0.01 keeps only tokens within a hundredth of a standard deviation of the top logit: the greedy path again.
        var sampling = new JsonObject { ["num_predict"] = 12, ["seed"] = 7, ["temperature"] = 1, ["top_k"] = 0, ["top_p"] = 1, ["repeat_penalty"] = 1 };
        var greedy = await GenerateAsync(RandomPrompt, With(sampling, "temperature", 0), model: "random");
        var baseline = await GenerateAsync(RandomPrompt, sampling, model: "random");
        Assert.NotEqual(greedy, baseline);
        Assert.Equal(greedy, await GenerateAsync(RandomPrompt, With(sampling, "top_n_sigma", 0.01), model: "random"));
    }

    [Fact]
    public async Task V1_completions_pass_llama_server_fields_to_the_runner()
    {
        var baseline = await CompleteAsync(new JsonObject { ["prompt"] = Repetitive, ["max_tokens"] = 4, ["temperature"] = 0 });
        Assert.Equal("0123", baseline);
        var dry = await CompleteAsync(new JsonObject { ["prompt"] = Repetitive, ["max_tokens"] = 4, ["temperature"] = 0, ["dry_multiplier"] = 2, ["dry_base"] = 1.75, ["dry_allowed_length"] = 2 });
        Assert.False(dry.StartsWith('0'), dry);

        var xtc = await CompleteAsync(new JsonObject { ["prompt"] = "a", ["max_tokens"] = 3, ["temperature"] = 0, ["xtc_probability"] = 1, ["xtc_threshold"] = 0 });
        Assert.False(xtc.StartsWith('b'), xtc);

        // On the random model, only a sampler that keeps the top token alone follows the greedy path at temperature 1;
        // typical_p, which keeps the tokens whose surprise is nearest the entropy, leaves the baseline's path.
        var hot = new JsonObject { ["prompt"] = RandomPrompt, ["max_tokens"] = 12, ["temperature"] = 1, ["seed"] = 5, ["top_k"] = 0 };
        var greedy = await CompleteAsync(With(hot, "temperature", 0), model: "random");
        var sampled = await CompleteAsync(hot, model: "random");
        Assert.NotEqual(greedy, sampled);
        Assert.Equal(greedy, await CompleteAsync(With(hot, "top_n_sigma", 0.01), model: "random"));
        Assert.Equal(greedy, await CompleteAsync(With(hot, "min_p", 0.999), model: "random"));
        Assert.NotEqual(sampled, await CompleteAsync(With(hot, "typical_p", 0.2), model: "random"));

        // top_k 1 is greedy too; without the field the default top_k 40 would sample.
        Assert.Equal(greedy, await CompleteAsync(With(hot, "top_k", 1), model: "random"));
    }

    [Fact]
    public async Task V1_chat_passes_llama_server_fields_to_the_runner()
    {
        var baseline = await ChatAsync(new JsonObject { ["temperature"] = 0, ["max_tokens"] = 5 });
        Assert.Equal("abcde", baseline);
        var xtc = await ChatAsync(new JsonObject { ["temperature"] = 0, ["max_tokens"] = 5, ["xtc_probability"] = 1, ["xtc_threshold"] = 0 });
        Assert.False(xtc.StartsWith('a'), xtc);
    }

    [Theory]
    [InlineData("""{"dry_multiplier":-1}""", "invalid dry_multiplier -1: must be a finite number of at least 0 (0 is off)")]
    [InlineData("""{"dry_multiplier":1e39}""", "invalid dry_multiplier Infinity: must be a finite number of at least 0 (0 is off)")]
    [InlineData("""{"dry_base":0.5}""", "invalid dry_base 0.5: must be a finite number of at least 1")]
    [InlineData("""{"dry_allowed_length":-3}""", "invalid dry_allowed_length -3: must be at least 0")]
    [InlineData("""{"dry_penalty_last_n":-2}""", "invalid dry_penalty_last_n -2: must be -1 (the context), 0 (off) or more")]
    [InlineData("""{"xtc_probability":1.5}""", "invalid xtc_probability 1.5: must be between 0 (off) and 1")]
    [InlineData("""{"xtc_threshold":-0.1}""", "invalid xtc_threshold -0.1: must be between 0 and 1 (over 0.5 is off)")]
    [InlineData("""{"top_n_sigma":1e39}""", "invalid top_n_sigma Infinity: must be a finite number (0 or less is off)")]
    [InlineData("""{"dry_sequence_breakers":["a\u0000b"]}""", "dry_sequence_breakers entries must not contain NUL characters")]
    public async Task Nonsense_values_are_400s_in_ollamas_shape(string options, string message)
    {
        using var response = await fx.Http.PostAsync("/api/generate", Json($$"""{"model":"successor","prompt":"a","stream":false,"options":{{options}}}"""));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body);
        Assert.Equal(message, JsonNode.Parse(body)!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Sequence_breakers_are_bounded_in_number_and_length()
    {
        var many = Enumerable.Range(0, 65).Select(i => (JsonNode?)JsonValue.Create($"b{i}")).ToArray();
        var tooMany = await GenerateStatusAsync(new JsonObject { ["dry_multiplier"] = 1, ["dry_sequence_breakers"] = new JsonArray(many) });
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.Status);
        Assert.Equal("too many dry_sequence_breakers (65): at most 64", tooMany.Error);

        var tooLong = await GenerateStatusAsync(new JsonObject { ["dry_sequence_breakers"] = new JsonArray(new string('x', 65)) });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.Status);
        Assert.Equal("dry_sequence_breakers entry too long (65 characters): at most 64", tooLong.Error);

        var fine = await GenerateStatusAsync(new JsonObject
        {
            ["dry_multiplier"] = 1,
            ["dry_sequence_breakers"] = new JsonArray(many[..64].Select(n => n!.DeepClone()).ToArray()),
        });
        Assert.Equal(HttpStatusCode.OK, fine.Status);

        using var v1 = await fx.Http.PostAsync("/v1/completions", Json("""{"model":"successor","prompt":"a","max_tokens":1,"xtc_probability":2}"""));
        var body = await v1.Content.ReadAsStringAsync();
        Assert.True(v1.StatusCode == HttpStatusCode.BadRequest, body);
        Assert.Equal("invalid xtc_probability 2: must be between 0 (off) and 1", JsonNode.Parse(body)!["error"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Modelfile_parameters_apply_and_show_back()
    {
        using var create = await fx.Http.PostAsJsonAsync("/api/create", new JsonObject
        {
            ["model"] = "successor-dry",
            ["from"] = "successor",
            ["stream"] = false,
            ["parameters"] = new JsonObject
            {
                ["dry_multiplier"] = 2,
                ["dry_penalty_last_n"] = -1,
                ["dry_sequence_breakers"] = new JsonArray("\n", "###"),
                ["xtc_threshold"] = 0.6,
                ["top_n_sigma"] = 1.5,
                ["repeat_penalty"] = 1,
            },
        });
        Assert.True(create.IsSuccessStatusCode, await create.Content.ReadAsStringAsync());

        using var show = await fx.Http.PostAsJsonAsync("/api/show", new { model = "successor-dry" });
        var parameters = JsonNode.Parse(await show.Content.ReadAsStringAsync())!["parameters"]!.GetValue<string>();
        Assert.Contains("dry_multiplier                 2", parameters, StringComparison.Ordinal);
        Assert.Contains("dry_penalty_last_n             -1", parameters, StringComparison.Ordinal);
        Assert.Contains("dry_sequence_breakers          \"\\n\"", parameters, StringComparison.Ordinal);
        Assert.Contains("dry_sequence_breakers          \"###\"", parameters, StringComparison.Ordinal);
        Assert.Contains("top_n_sigma                    1.5", parameters, StringComparison.Ordinal);
        Assert.Contains("xtc_threshold                  0.6", parameters, StringComparison.Ordinal);

        // The PARAMETERs take effect without any request option.
        var dry = await GenerateAsync(Repetitive, new JsonObject { ["num_predict"] = 4 }, model: "successor-dry");
        Assert.False(dry.StartsWith('0'), dry);
    }

    private async Task<string> GenerateAsync(string prompt, JsonObject options, string model = "successor")
    {
        using var response = await fx.Http.PostAsJsonAsync("/api/generate", new JsonObject
        {
            ["model"] = model,
            ["prompt"] = prompt,
            ["raw"] = true,
            ["stream"] = false,
            ["options"] = options.DeepClone(),
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonNode.Parse(body)!["response"]!.GetValue<string>();
    }

    private async Task<(HttpStatusCode Status, string? Error)> GenerateStatusAsync(JsonObject options)
    {
        options["num_predict"] = 1;
        using var response = await fx.Http.PostAsJsonAsync("/api/generate", new JsonObject
        {
            ["model"] = "successor",
            ["prompt"] = "a",
            ["stream"] = false,
            ["options"] = options,
        });
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.IsSuccessStatusCode ? null : JsonNode.Parse(body)!["error"]!.GetValue<string>());
    }

    private async Task<string> CompleteAsync(JsonObject request, string model = "successor")
    {
        request = request.DeepClone().AsObject();
        request["model"] = model;
        using var response = await fx.Http.PostAsJsonAsync("/v1/completions", request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonNode.Parse(body)!["choices"]![0]!["text"]!.GetValue<string>();
    }

    private async Task<string> ChatAsync(JsonObject request)
    {
        request["model"] = "successor-chat";
        request["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "hi" });
        using var response = await fx.Http.PostAsJsonAsync("/v1/chat/completions", request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonNode.Parse(body)!["choices"]![0]!["message"]!["content"]!.GetValue<string>();
    }

    /// <summary>A copy of <paramref name="options"/> with one value set.</summary>
    private static JsonObject With(JsonObject options, string name, double value)
    {
        var copy = options.DeepClone().AsObject();
        copy[name] = value;
        return copy;
    }

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
