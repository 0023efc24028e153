using System.ClientModel;
using System.Text;
using System.Text.Json;
using OpenAI.Chat;
using OpenAI.Embeddings;
using OpenAI.Models;

namespace Corral.OpenAI.Tests;

/// <summary>The official OpenAI .NET SDK (ChatClient, EmbeddingClient, OpenAIModelClient) against Corral.</summary>
public sealed class SdkTests(OpenAIServerFixture fx) : IClassFixture<OpenAIServerFixture>
{
    private static readonly string[] Colours = ["red", "green"];

    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz";

    private ChatClient Chat(string model = "successor-chat") => new(model, fx.Key, fx.Options);

    [Fact]
    public async Task Complete_chat_returns_the_answer_usage_and_finish_reason()
    {
        ChatCompletion completion = await Chat().CompleteChatAsync([new UserChatMessage("hi")], new ChatCompletionOptions { Temperature = 0 });
        Assert.Equal(ChatMessageRole.Assistant, completion.Role);
        Assert.Equal(Alphabet, completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(26, completion.Usage.OutputTokenCount);
        Assert.Equal(completion.Usage.InputTokenCount + 26, completion.Usage.TotalTokenCount);
        Assert.StartsWith("chatcmpl-", completion.Id);
        Assert.Equal("successor-chat", completion.Model);
    }

    [Fact]
    public async Task Input_token_count_is_the_whole_prompt_on_a_repeat_and_the_cached_part_is_named()
    {
        var options = new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 2 };
        ChatCompletion first = await Chat().CompleteChatAsync([new UserChatMessage("counted the same twice")], options);
        ChatCompletion again = await Chat().CompleteChatAsync([new UserChatMessage("counted the same twice")], options);

        Assert.True(first.Usage.InputTokenCount > 5);
        Assert.Equal(first.Usage.InputTokenCount, again.Usage.InputTokenCount);
        Assert.Equal(again.Usage.InputTokenCount - 1, again.Usage.InputTokenDetails.CachedTokenCount);
    }

    [Fact]
    public async Task Max_tokens_and_stop_sequences_apply()
    {
        var options = new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 4 };
        ChatCompletion limited = await Chat().CompleteChatAsync([new UserChatMessage("hi")], options);
        Assert.Equal("abcd", limited.Content[0].Text);
        Assert.Equal(ChatFinishReason.Length, limited.FinishReason);

        var stopping = new ChatCompletionOptions { Temperature = 0 };
        stopping.StopSequences.Add("gh");
        ChatCompletion stopped = await Chat().CompleteChatAsync([new SystemChatMessage("be brief"), new UserChatMessage("hi")], stopping);
        Assert.Equal("abcdef", stopped.Content[0].Text);
    }

    [Fact]
    public async Task Streaming_updates_add_up_to_the_answer()
    {
        var text = new StringBuilder();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        var updates = 0;
        await foreach (var update in Chat().CompleteChatStreamingAsync([new UserChatMessage("hi")], new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 6 }))
        {
            updates++;
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.Equal("abcdef", text.ToString());
        Assert.Equal(ChatFinishReason.Length, finish);
        Assert.True(updates >= 7);
        Assert.NotNull(usage); // the SDK asks for stream_options.include_usage
        Assert.Equal(6, usage.OutputTokenCount);
    }

    [Fact]
    public async Task Json_schema_response_format_yields_json_that_matches()
    {
        var schema = BinaryData.FromString("""{"type":"object","properties":{"colour":{"type":"string","enum":["red","green"]},"count":{"type":"integer"}},"required":["colour","count"]}""");
        var options = new ChatCompletionOptions
        {
            MaxOutputTokenCount = 120,
            ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("thing", schema, jsonSchemaIsStrict: true),
        };
        ChatCompletion completion = await Chat("random").CompleteChatAsync([new UserChatMessage("go")], options);
        using var doc = JsonDocument.Parse(completion.Content[0].Text);
        Assert.Contains(doc.RootElement.GetProperty("colour").GetString(), Colours);
        Assert.Equal(JsonValueKind.Number, doc.RootElement.GetProperty("count").ValueKind);
    }

    [Fact]
    public async Task Embeddings_decode_to_unit_vectors()
    {
        var client = new EmbeddingClient("embedder", fx.Key, fx.Options);
        OpenAIEmbedding one = await client.GenerateEmbeddingAsync("hello world");
        var vector = one.ToFloats().ToArray();
        Assert.NotEmpty(vector);
        Assert.Equal(1.0, Math.Sqrt(vector.Sum(v => (double)v * v)), 3);

        OpenAIEmbeddingCollection many = await client.GenerateEmbeddingsAsync(["hello world", "something else"], new EmbeddingGenerationOptions { Dimensions = 8 });
        Assert.Equal(2, many.Count);
        Assert.Equal(8, many[1].ToFloats().Length);
        Assert.True(many.Usage.InputTokenCount > 0);
    }

    [Fact]
    public async Task Models_are_listed_and_retrieved()
    {
        var client = new OpenAIModelClient(fx.Key, fx.Options);
        OpenAIModelCollection models = await client.GetModelsAsync();
        Assert.Contains(models, m => m.Id == "successor-chat:latest" && m.OwnedBy == "library");
        OpenAIModel model = await client.GetModelAsync("embedder");
        Assert.Equal("embedder", model.Id);
        Assert.True(model.CreatedAt > DateTimeOffset.UnixEpoch);

        var missing = await Assert.ThrowsAsync<ClientResultException>(() => client.GetModelAsync("not-there"));
        Assert.Equal(404, missing.Status);
        Assert.Equal("not_found_error", ErrorType(missing));
    }

    [Fact]
    public async Task Unknown_model_is_a_404_with_the_message()
    {
        var error = await Assert.ThrowsAsync<ClientResultException>(() => Chat("nope").CompleteChatAsync([new UserChatMessage("hi")]));
        Assert.Equal(404, error.Status);
        Assert.Contains("nope", error.Message);
        Assert.Equal("not_found_error", ErrorType(error)); // the type Ollama's compatibility layer gives a 404

        var embedding = await Assert.ThrowsAsync<ClientResultException>(() => new EmbeddingClient("nope", fx.Key, fx.Options).GenerateEmbeddingAsync("hi"));
        Assert.Equal(404, embedding.Status);
        Assert.Equal("not_found_error", ErrorType(embedding));
    }

    /// <summary>The <c>error.type</c> of the body the SDK read.</summary>
    private static string? ErrorType(ClientResultException exception)
    {
        var body = exception.GetRawResponse()?.Content.ToString() ?? "{}";
        return JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("type").GetString();
    }
}
