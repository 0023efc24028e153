using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Corral.Testing;
using Corral.TestModels;

namespace Corral.Server.Tests.Inference;

/// <summary>
/// LoRA adapters end to end (issue 18): ADAPTER layers are applied by llama.cpp in the runner, with their alpha, several
/// at once, per-request scales (llama-server's <c>lora</c> field) on the native and OpenAI routes, requests of different
/// scales batched correctly side by side, and what cannot be applied refused with a 400 at create or at load.
/// </summary>
public sealed class LoraAdapterTests(LoraServerFixture fx) : IClassFixture<LoraServerFixture>
{
    private const string Prompt = "hello a";

    private static readonly string Base = SuccessorModel.ExpectedContinuation(Prompt, 5).Text; // "bcdef"

    [Fact]
    public async Task An_adapter_changes_the_greedy_answer_and_the_base_model_is_a_runner_of_its_own()
    {
        Assert.Equal("bcdef", Base);
        Assert.Equal(Base, await GenerateAsync("succ", Prompt, 5));
        Assert.Equal("zzzzz", await GenerateAsync("succ-z", Prompt, 5)); // 16 × alpha 2 / rank 4 = 8 > 4
        Assert.Equal(Base, await GenerateAsync("succ", Prompt, 5));

        var ps = await fx.Http.GetFromJsonAsync<JsonObject>("/api/ps");
        var loaded = ps!["models"]!.AsArray().Select(m => m!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("succ:latest", loaded);
        Assert.Contains("succ-z:latest", loaded);
    }

    [Theory]
    [InlineData(1f, "zzzzz")]
    [InlineData(0.75f, "zzzzz")] // 6 > 4
    [InlineData(0.25f, "bcdef")] // 2 < 4
    [InlineData(0f, "bcdef")]
    [InlineData(-1f, "bcdef")]
    public async Task A_request_scale_multiplies_the_adapter(float scale, string expected)
    {
        var lora = new JsonArray(new JsonObject { ["id"] = 0, ["scale"] = scale });
        Assert.Equal(expected, await GenerateAsync("succ-z", Prompt, 5, lora));
    }

    [Fact]
    public async Task Several_adapters_add_up_and_a_lora_list_leaves_out_what_it_does_not_name()
    {
        Assert.Equal("qqqqq", await GenerateAsync("succ-zq", Prompt, 5)); // z 8, q 12
        Assert.Equal("zzzzz", await GenerateAsync("succ-zq", Prompt, 5, Lora((0, 1f), (1, 0.25f)))); // q 3
        Assert.Equal("zzzzz", await GenerateAsync("succ-zq", Prompt, 5, Lora((0, 1f)))); // q left out: 0
        Assert.Equal(Base, await GenerateAsync("succ-zq", Prompt, 5, new JsonArray())); // both left out
    }

    [Fact]
    public async Task Requests_with_different_scales_running_at_once_each_get_their_own_answer()
    {
        // "count 0" makes the successor model count digits for ever; with the adapter winning it says z.
        const string Counting = "count 0";
        var digits = SuccessorModel.ExpectedContinuation(Counting, 60).Text;
        var zs = new string('z', 60);
        float[] scales = [1f, 0f, 0.75f, 0.25f, 1f, 0f, 0.75f, 0.25f];
        var answers = await Task.WhenAll(scales.Select(s => GenerateAsync("succ-z", Counting, 60, Lora((0, s)))));
        for (var i = 0; i < scales.Length; i++)
        {
            Assert.Equal(scales[i] > 0.5f ? zs : digits, answers[i]);
        }
    }

    [Fact]
    public async Task Chat_and_the_openai_routes_take_the_lora_field()
    {
        var chat = await PostAsync("/api/chat", new JsonObject
        {
            ["model"] = "succ-chat-z",
            ["messages"] = Hi(),
            ["stream"] = false,
            ["options"] = new JsonObject { ["num_predict"] = 4 },
        });
        Assert.Equal("zzzz", chat.Json!["message"]!["content"]!.GetValue<string>());

        var chatOff = await PostAsync("/api/chat", new JsonObject
        {
            ["model"] = "succ-chat-z",
            ["messages"] = Hi(),
            ["stream"] = false,
            ["options"] = new JsonObject { ["num_predict"] = 4 },
            ["lora"] = Lora((0, 0f)),
        });
        Assert.Equal("abcd", chatOff.Json!["message"]!["content"]!.GetValue<string>());

        var openAIChat = await PostAsync("/v1/chat/completions", new JsonObject { ["model"] = "succ-chat-z", ["messages"] = Hi(), ["max_tokens"] = 4, ["lora"] = Lora((0, 0f)) });
        Assert.Equal("abcd", openAIChat.Json!["choices"]![0]!["message"]!["content"]!.GetValue<string>());

        var completion = await PostAsync("/v1/completions", new JsonObject { ["model"] = "succ-z", ["prompt"] = Prompt, ["max_tokens"] = 5, ["temperature"] = 0, ["lora"] = Lora((0, 0.25f)) });
        Assert.Equal(Base, completion.Json!["choices"]![0]!["text"]!.GetValue<string>());
        var plain = await PostAsync("/v1/completions", new JsonObject { ["model"] = "succ-z", ["prompt"] = Prompt, ["max_tokens"] = 5, ["temperature"] = 0 });
        Assert.Equal("zzzzz", plain.Json!["choices"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_cached_prompt_is_reused_only_under_the_scales_it_was_evaluated_with()
    {
        var messages = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "a question long enough that its prompt is worth caching: " + new string('x', 40) });
        async Task<int> CachedAsync(float scale)
        {
            var answer = await PostAsync("/v1/chat/completions", new JsonObject { ["model"] = "succ-chat-z", ["messages"] = messages.DeepClone(), ["max_tokens"] = 2, ["lora"] = Lora((0, scale)) });
            Assert.True(answer.Status == HttpStatusCode.OK, answer.Json?.ToJsonString());
            return answer.Json!["usage"]!["prompt_tokens_details"]!["cached_tokens"]!.GetValue<int>();
        }

        await CachedAsync(0.9f);
        Assert.True(await CachedAsync(0.9f) > 0); // same scales: the prefix is reused
        Assert.Equal(0, await CachedAsync(0.1f)); // the KV of another scale set is not this request's
        Assert.True(await CachedAsync(0.1f) > 0);
    }

    [Theory]
    [InlineData("succ-z", "[{\"id\":1,\"scale\":1}]", "lora: invalid adapter id 1: the model has adapter 0")]
    [InlineData("succ-zq", "[{\"id\":-1,\"scale\":1}]", "lora: invalid adapter id -1: the model has adapters 0 to 1")]
    [InlineData("succ-zq", "[{\"id\":0,\"scale\":1},{\"id\":0,\"scale\":0}]", "lora: adapter id 0 given twice")]
    [InlineData("succ-z", "[{\"id\":0,\"scale\":1000}]", "lora: scale of adapter 0 must be between -100 and 100")]
    [InlineData("succ", "[{\"id\":0,\"scale\":1}]", "lora: model 'succ:latest' has no LoRA adapters")]
    public async Task A_lora_list_the_model_cannot_take_is_a_400(string model, string lora, string error)
    {
        var body = $$"""{"model":"{{model}}","prompt":"x","stream":false,"lora":{{lora}}}""";
        using var response = await fx.Http.PostAsync("/api/generate", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(error, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!.GetValue<string>());

        var openAI = await PostAsync("/v1/completions", JsonNode.Parse($$"""{"model":"{{model}}","prompt":"x","lora":{{lora}}}""")!.AsObject());
        Assert.Equal(HttpStatusCode.BadRequest, openAI.Status);
        Assert.Equal(error, openAI.Json!["error"]!["message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("succ", "bert", "invalid adapter 'bert.gguf': adapter architecture 'bert' does not match the model's 'llama'")]
    [InlineData("succ", "misfit", "invalid adapter 'misfit.gguf': the model has no tensor 'blk.9.attn_q.weight' (an adapter for another model?)")]
    [InlineData("random", "z", "invalid adapter 'z.gguf': LoRA pair for 'output.weight' has the wrong shape for the model (an adapter for another model?)")]
    public async Task Create_refuses_an_adapter_that_cannot_be_applied(string from, string adapter, string error)
    {
        var (status, message) = await fx.TryCreateAsync("refused-" + adapter, from, adapter);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(error, message);
        var tags = await fx.Http.GetFromJsonAsync<JsonObject>("/api/tags");
        Assert.DoesNotContain(tags!["models"]!.AsArray(), m => m!["name"]!.GetValue<string>().StartsWith("refused-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Create_names_what_is_wrong_with_a_model_or_safetensors_given_as_adapter()
    {
        var model = await fx.UploadModelAsync(GeneratedModels.Successor);
        var (status, error) = await fx.TryCreateRawAsync("refused-model", "succ", new() { ["model.gguf"] = model });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid adapter 'model.gguf': not a LoRA adapter (general.type is '', not 'adapter')", error);

        (status, error) = await fx.TryCreateRawAsync("refused-safetensors", "succ", new() { ["adapter_model.safetensors"] = model });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("importing safetensors adapters is not supported ('adapter_model.safetensors'); convert the adapter to GGUF first", error);
    }

    [Fact]
    public async Task An_adapter_llama_cpp_refuses_at_load_is_a_400_with_its_reason()
    {
        var body = """{"model":"succ-bert-lora","prompt":"x","stream":false}""";
        using var response = await fx.Http.PostAsync("/api/generate", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("unable to load model: Cannot load LoRA adapter '", error);
        Assert.EndsWith("model arch and LoRA arch mismatch", error);
        Assert.False(fx.Server.HasExited);
    }

    [Fact]
    public async Task Show_lists_the_adapters_with_their_ids_alpha_and_rank()
    {
        var show = await PostAsync("/api/show", new JsonObject { ["model"] = "succ-zq" });
        var adapters = show.Json!["adapters"]!.AsArray();
        Assert.Equal(2, adapters.Count);
        Assert.Equal([0, 1], adapters.Select(a => a!["id"]!.GetValue<int>()));
        Assert.All(adapters, a => Assert.Equal(TestModelWriter.SuccessorLoraAlpha, a!["alpha"]!.GetValue<float>()));
        Assert.All(adapters, a => Assert.Equal(TestModelWriter.SuccessorLoraRank, a!["rank"]!.GetValue<int>()));
        Assert.All(adapters, a => Assert.Equal(1, a!["weights"]!.GetValue<int>()));
        Assert.Equal(2, show.Json["modelfile"]!.GetValue<string>().Split('\n').Count(l => l.StartsWith("ADAPTER ", StringComparison.Ordinal)));

        var plain = await PostAsync("/api/show", new JsonObject { ["model"] = "succ" });
        Assert.Null(plain.Json!["adapters"]);
    }

    private static JsonArray Lora(params (int Id, float Scale)[] entries) =>
        new(entries.Select(e => (JsonNode)new JsonObject { ["id"] = e.Id, ["scale"] = e.Scale }).ToArray());

    private static JsonArray Hi() => new(new JsonObject { ["role"] = "user", ["content"] = "hi" });

    private async Task<string> GenerateAsync(string model, string prompt, int count, JsonArray? lora = null)
    {
        var body = new JsonObject { ["model"] = model, ["prompt"] = prompt, ["stream"] = false, ["options"] = new JsonObject { ["num_predict"] = count } };
        if (lora is not null)
        {
            body["lora"] = lora;
        }

        var answer = await PostAsync("/api/generate", body);
        Assert.True(answer.Status == HttpStatusCode.OK, answer.Json?.ToJsonString());
        return answer.Json!["response"]!.GetValue<string>();
    }

    private async Task<(HttpStatusCode Status, JsonNode? Json)> PostAsync(string route, JsonObject body)
    {
        using var response = await fx.Http.PostAsJsonAsync(route, body);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()));
    }
}
