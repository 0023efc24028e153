using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Corral.Server.Tests.Inference;

/// <summary>
/// Two Corral extensions users ask Ollama for: the model's tokenizer over HTTP (/api/tokenize, /api/detokenize) and a
/// raw GBNF grammar on generate, chat and /v1 (issue 18).
/// </summary>
public sealed class TokenizeAndGrammarTests(InferenceServerFixture fx) : IClassFixture<InferenceServerFixture>
{
    [Fact]
    public async Task Tokenize_and_detokenize_round_trip_with_the_models_own_ids()
    {
        var plain = await PostAsync("/api/tokenize", new JsonObject { ["model"] = "random", ["content"] = "hello world, again" });
        Assert.Equal(HttpStatusCode.OK, plain.Status);
        Assert.Equal("random", plain.Json!["model"]!.GetValue<string>());
        var tokens = plain.Json["tokens"]!.AsArray().Select(t => t!.GetValue<int>()).ToArray();
        Assert.NotEmpty(tokens);

        // add_special puts the model's BOS first, as generation does; llama-server's default is off.
        var special = await PostAsync("/api/tokenize", new JsonObject { ["model"] = "random", ["content"] = "hello world, again", ["add_special"] = true });
        var withBos = special.Json!["tokens"]!.AsArray().Select(t => t!.GetValue<int>()).ToArray();
        Assert.Equal(tokens.Length + 1, withBos.Length);
        Assert.Equal(tokens, withBos[1..]);

        var back = await PostAsync("/api/detokenize", new JsonObject { ["model"] = "random", ["tokens"] = new JsonArray(tokens.Select(t => (JsonNode)t).ToArray()) });
        Assert.Equal(HttpStatusCode.OK, back.Status);
        Assert.Equal("hello world, again", back.Json!["content"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/api/tokenize", "{\"model\":\"random\"}", HttpStatusCode.BadRequest, "content is required")]
    [InlineData("/api/tokenize", "{\"content\":\"a\"}", HttpStatusCode.BadRequest, "model is required")]
    [InlineData("/api/tokenize", "{\"model\":\"no-such-model\",\"content\":\"a\"}", HttpStatusCode.NotFound, "not found")]
    [InlineData("/api/detokenize", "{\"model\":\"random\"}", HttpStatusCode.BadRequest, "tokens is required")]
    [InlineData("/api/detokenize", "{\"model\":\"random\",\"tokens\":[1,99999999]}", HttpStatusCode.BadRequest, "invalid token id 99999999")]
    [InlineData("/api/detokenize", "{\"model\":\"random\",\"tokens\":[-5]}", HttpStatusCode.BadRequest, "invalid token id -5")]
    public async Task Bad_tokenize_requests_get_clear_errors(string route, string body, HttpStatusCode status, string error)
    {
        using var response = await fx.Http.PostAsync(route, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(status, response.StatusCode);
        Assert.Contains(error, JsonNode.Parse(text)!["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/generate")]
    [InlineData("/api/chat")]
    [InlineData("/v1/chat/completions")]
    [InlineData("/v1/completions")]
    public async Task A_raw_grammar_holds_the_output_to_its_language(string route)
    {
        // The random-weights model left alone writes noise; the grammar admits only these words.
        // It ends after at most three words, where only the end of generation is left.
        const string Grammar = "root ::= answer (\" \" answer){0,2}\nanswer ::= \"yes\" | \"no\" | \"maybe\"";
        var text = await CompleteAsync(route, Grammar, seed: 7);
        Assert.Matches("^(yes|no|maybe)( (yes|no|maybe)){0,2}$", text);
        Assert.NotEmpty(text);
    }

    [Fact]
    public async Task A_bad_grammar_is_a_400_naming_the_line_and_grammar_with_format_is_refused()
    {
        var typo = await PostAsync("/api/generate", new JsonObject
        {
            ["model"] = "random",
            ["prompt"] = "x",
            ["stream"] = false,
            ["grammar"] = "root ::= answer\nanswer ::= \"yes\" | nope",
        });
        Assert.Equal(HttpStatusCode.BadRequest, typo.Status);
        Assert.Equal("invalid grammar: line 2, column 20: undefined rule 'nope'", typo.Json!["error"]!.GetValue<string>());

        var both = await PostAsync("/api/chat", new JsonObject
        {
            ["model"] = "random",
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "x" }),
            ["stream"] = false,
            ["format"] = "json",
            ["grammar"] = "root ::= \"a\"",
        });
        Assert.Equal(HttpStatusCode.BadRequest, both.Status);
        Assert.Equal("grammar and format cannot be used together", both.Json!["error"]!.GetValue<string>());

        var openAI = await PostAsync("/v1/completions", new JsonObject { ["model"] = "random", ["prompt"] = "x", ["grammar"] = "root ::= [a-" });
        Assert.Equal(HttpStatusCode.BadRequest, openAI.Status);
        Assert.Equal("invalid grammar: line 1, column 13: unexpected end of input", openAI.Json!["error"]!["message"]!.GetValue<string>());
    }

    private async Task<string> CompleteAsync(string route, string grammar, int seed)
    {
        JsonObject body = route switch
        {
            "/api/generate" => new() { ["model"] = "random", ["prompt"] = "say", ["stream"] = false, ["grammar"] = grammar, ["options"] = new JsonObject { ["num_predict"] = 64, ["seed"] = seed } },
            "/api/chat" => new() { ["model"] = "random", ["messages"] = Say(), ["stream"] = false, ["grammar"] = grammar, ["options"] = new JsonObject { ["num_predict"] = 64, ["seed"] = seed } },
            "/v1/chat/completions" => new() { ["model"] = "random", ["messages"] = Say(), ["grammar"] = grammar, ["max_tokens"] = 64, ["seed"] = seed },
            _ => new() { ["model"] = "random", ["prompt"] = "say", ["grammar"] = grammar, ["max_tokens"] = 64, ["seed"] = seed },
        };
        var answer = await PostAsync(route, body);
        Assert.True(answer.Status == HttpStatusCode.OK, answer.Json?.ToJsonString());
        var json = answer.Json!;
        return (route switch
        {
            "/api/generate" => json["response"],
            "/api/chat" => json["message"]!["content"],
            "/v1/chat/completions" => json["choices"]![0]!["message"]!["content"],
            _ => json["choices"]![0]!["text"],
        })!.GetValue<string>().Trim();
    }

    private static JsonArray Say() => new(new JsonObject { ["role"] = "user", ["content"] = "say" });

    private async Task<(HttpStatusCode Status, JsonNode? Json)> PostAsync(string route, JsonObject body)
    {
        using var response = await fx.Http.PostAsJsonAsync(route, body);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()));
    }
}
