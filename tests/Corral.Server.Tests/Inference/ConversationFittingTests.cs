using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Corral.Server.Tests.Inference;

/// <summary>
/// A conversation that may not fit the context is measured with the runner's tokenizer: one that fits goes to the
/// runner as the tokens the server counted, evaluated exactly as the runner would have tokenized the text; one that
/// does not loses its oldest turns (Ollama's chatPrompt rule), the model's system prompt kept. Real server, real
/// runner, the successor model with the Llama-3-shaped chat template (num_ctx 1024).
/// </summary>
public sealed class ConversationFittingTests(InferenceServerFixture fx) : IClassFixture<InferenceServerFixture>
{
    private const int Context = 1024;

    [Fact]
    public async Task A_conversation_longer_in_characters_than_the_context_but_not_in_tokens_is_evaluated_whole()
    {
        (string Role, string Content)[] conversation = [("user", Filler(1500)), ("assistant", "ok"), ("user", "a b c")];
        var rendered = await RenderAsync(conversation);
        var tokens = await CountTokensAsync(rendered);
        Assert.True(rendered.Length > Context && tokens <= Context, $"{rendered.Length} characters, {tokens} tokens: the server must measure it, and it must fit");

        var answer = await ChatAsync(conversation);
        Assert.Equal(tokens, answer["prompt_eval_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_conversation_longer_than_the_context_loses_its_oldest_turns_and_keeps_the_system_prompt()
    {
        (string Role, string Content)[] kept = [("assistant", "ok"), ("user", Filler(600)), ("assistant", "ok"), ("user", "a b c")];
        (string Role, string Content)[] conversation = [("user", Filler(1500)), .. kept];
        var keptTokens = await CountTokensAsync(await RenderAsync(kept));
        var allTokens = await CountTokensAsync(await RenderAsync(conversation));
        Assert.True(allTokens > Context && keptTokens <= Context, $"{allTokens} tokens in all, {keptTokens} kept: only the first turn must be too many");
        Assert.Contains("be brief", await RenderAsync(kept), StringComparison.Ordinal);

        var answer = await ChatAsync(conversation);
        Assert.Equal(keptTokens, answer["prompt_eval_count"]!.GetValue<int>());
    }

    /// <summary>Text of about half as many tokens as characters: the successor model's tokenizer merges "!!".</summary>
    private static string Filler(int characters) => new('!', characters);

    private static JsonObject Chat((string Role, string Content)[] messages) => new()
    {
        ["model"] = "successor-chat",
        ["messages"] = new JsonArray(messages.Select(m => (JsonNode)new JsonObject { ["role"] = m.Role, ["content"] = m.Content }).ToArray()),
        ["stream"] = false,
        ["options"] = new JsonObject { ["num_predict"] = 1 },
    };

    private async Task<string> RenderAsync((string Role, string Content)[] messages)
    {
        var request = Chat(messages);
        request["_debug_render_only"] = true;
        var answer = await PostAsync("/api/chat", request);
        return answer["_debug_info"]!["rendered_template"]!.GetValue<string>();
    }

    private async Task<int> CountTokensAsync(string prompt)
    {
        // With BOS, as the runner tokenizes a prompt.
        var answer = await PostAsync("/api/tokenize", new JsonObject { ["model"] = "successor-chat", ["content"] = prompt, ["add_special"] = true });
        return answer["tokens"]!.AsArray().Count;
    }

    private Task<JsonNode> ChatAsync((string Role, string Content)[] messages) => PostAsync("/api/chat", Chat(messages));

    private async Task<JsonNode> PostAsync(string route, JsonObject body)
    {
        using var response = await fx.Http.PostAsJsonAsync(route, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!;
    }
}
