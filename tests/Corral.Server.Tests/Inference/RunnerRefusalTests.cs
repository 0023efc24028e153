using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Corral.Server.Tests.Inference;

/// <summary>
/// What the runner refuses as the client's fault (too long with truncate off, token ids outside the vocabulary)
/// comes back as a 400 in each API's shape, streamed or not, and the runner keeps serving afterwards.
/// Real server, real runner, the successor model (num_ctx 1024).
/// </summary>
public sealed class RunnerRefusalTests(InferenceServerFixture fx) : IClassFixture<InferenceServerFixture>
{
    private const string InputTooLong = "the input length exceeds the context length";

    /// <summary>Far more tokens than the fixture's 1024-token context.</summary>
    private static readonly string LongText = string.Join(' ', Enumerable.Repeat("zebra", 1500));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Generate_longer_than_the_context_with_truncate_off_is_a_400_with_ollamas_message(bool stream)
    {
        var (status, body) = await PostAsync("/api/generate", new JsonObject
        {
            ["model"] = "successor",
            ["prompt"] = LongText,
            ["truncate"] = false,
            ["stream"] = stream,
        });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(InputTooLong, body!["error"]!.GetValue<string>());

        // Truncation on (the default) serves the same prompt.
        var (ok, answer) = await PostAsync("/api/generate", new JsonObject
        {
            ["model"] = "successor",
            ["prompt"] = LongText + " a",
            ["stream"] = false,
            ["options"] = new JsonObject { ["num_predict"] = 3 },
        });
        Assert.Equal(HttpStatusCode.OK, ok);
        Assert.Equal("bcd", answer!["response"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Chat_longer_than_the_context_with_truncate_off_is_a_400(bool stream)
    {
        var (status, body) = await PostAsync("/api/chat", new JsonObject
        {
            ["model"] = "successor-chat",
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = LongText }),
            ["truncate"] = false,
            ["stream"] = stream,
        });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(InputTooLong, body!["error"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1_000_000)]
    public async Task Generate_context_with_token_ids_outside_the_vocabulary_is_a_400(int badToken)
    {
        var (status, body) = await PostAsync("/api/generate", new JsonObject
        {
            ["model"] = "successor",
            ["prompt"] = "a",
            ["context"] = new JsonArray(1, 2, badToken),
            ["stream"] = false,
        });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal($"invalid token id {badToken} in context", body!["error"]!.GetValue<string>());

        // A valid context from an earlier answer still continues it.
        var (_, first) = await PostAsync("/api/generate", new JsonObject { ["model"] = "successor", ["prompt"] = "x a", ["stream"] = false, ["options"] = new JsonObject { ["num_predict"] = 2 } });
        var context = first!["context"]!.AsArray().DeepClone();
        var (ok, next) = await PostAsync("/api/generate", new JsonObject { ["model"] = "successor", ["prompt"] = " m", ["context"] = context, ["stream"] = false, ["options"] = new JsonObject { ["num_predict"] = 2 } });
        Assert.Equal(HttpStatusCode.OK, ok);
        Assert.True(next!["done"]!.GetValue<bool>());
        Assert.Equal(2, next["eval_count"]!.GetValue<int>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OpenAI_chat_with_a_logit_bias_token_outside_the_vocabulary_is_a_400_in_openais_shape(bool stream)
    {
        var (status, body) = await PostAsync("/v1/chat/completions", new JsonObject
        {
            ["model"] = "successor-chat",
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "hi" }),
            ["logit_bias"] = new JsonObject { ["1000000"] = 5 },
            ["stream"] = stream,
        });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_request_error", body!["error"]!["type"]!.GetValue<string>());
        Assert.Equal("invalid token id 1000000 in logit_bias", body["error"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task OpenAI_chat_with_a_context_too_long_for_one_message_is_served_truncated()
    {
        // /v1 has no truncate switch: the runner truncates as Ollama's does, no error.
        var (status, body) = await PostAsync("/v1/chat/completions", new JsonObject
        {
            ["model"] = "successor-chat",
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = LongText }),
            ["max_tokens"] = 3,
        });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("length", body!["choices"]![0]!["finish_reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Embed_longer_than_the_context_with_truncate_off_is_a_400()
    {
        var (status, body) = await PostAsync("/api/embed", new JsonObject
        {
            ["model"] = "embedder",
            ["input"] = LongText,
            ["truncate"] = false,
        });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(InputTooLong, body!["error"]!.GetValue<string>());
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(string path, JsonObject body)
    {
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await fx.Http.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(text.Length > 0, $"{path} answered {(int)response.StatusCode} with an empty body");
        return (response.StatusCode, JsonNode.Parse(text));
    }
}
