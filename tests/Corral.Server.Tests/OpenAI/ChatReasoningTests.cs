using System.Net;
using System.Text.Json;
using Corral.Server.Tests.Inference;
using Corral.TestModels;

namespace Corral.Server.Tests.OpenAI;

/// <summary>
/// /v1/chat/completions reasoning end to end: the thinker model's thought comes back in the fields OpenAI-compatible
/// clients read (<c>reasoning</c>, as Ollama writes it, and <c>reasoning_content</c>, as DeepSeek/vLLM do), apart from the content.
/// </summary>
[Collection(ThinkingCollectionDefinition.Name)]
public sealed class ChatReasoningTests(ThinkingServerFixture fx)
{
    private const string Hi = """[{"role":"user","content":"hi"}]""";

    [Theory]
    [InlineData("\"reasoning_effort\":\"low\"")]
    [InlineData("\"reasoning\":{\"effort\":\"high\"}")]
    [InlineData("\"reasoning_effort\":\"max\"")]
    [InlineData("\"reasoning_effort\":\"xhigh\"")] // OpenAI's tier above high: Ollama's max
    [InlineData("\"reasoning_effort\":\"minimal\"")] // OpenAI's tier below low: Ollama's low
    [InlineData("\"temperature\":0")] // unset: a thinking model thinks, as on Ollama
    public async Task Completion_carries_the_reasoning_apart_from_the_content(string reasoning)
    {
        var doc = await fx.PostOkAsync("/v1/chat/completions", $$"""{"model":"thinker",{{reasoning}},"messages":{{Hi}}}""");
        var choice = Assert.Single(doc.GetProperty("choices").EnumerateArray());
        var message = choice.GetProperty("message");
        Assert.Equal("assistant", message.GetProperty("role").GetString());
        Assert.Equal(ThinkerModel.Answer, message.GetProperty("content").GetString());
        Assert.Equal(ThinkerModel.Thought, message.GetProperty("reasoning").GetString());
        Assert.Equal(ThinkerModel.Thought, message.GetProperty("reasoning_content").GetString());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(ThinkerModel.ThinkingTokenCount, doc.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task Streamed_deltas_carry_the_reasoning_first_then_the_content()
    {
        var events = await fx.PostSseAsync("/v1/chat/completions", $$"""{"model":"thinker","stream":true,"reasoning_effort":"medium","messages":{{Hi}}}""");
        var deltas = events.Select(e => e.Data.GetProperty("choices")).Where(c => c.GetArrayLength() > 0).Select(c => c[0].GetProperty("delta")).ToList();
        string? Field(JsonElement delta, string name) => delta.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        var reasoning = deltas.Select(d => Field(d, "reasoning")).OfType<string>().ToList();
        var reasoningContent = deltas.Select(d => Field(d, "reasoning_content")).OfType<string>().ToList();
        var content = deltas.Select(d => Field(d, "content")).OfType<string>().Where(c => c.Length > 0).ToList();
        Assert.Equal(ThinkerModel.ThoughtPieces, reasoning);
        Assert.Equal(ThinkerModel.ThoughtPieces, reasoningContent);
        Assert.Equal(ThinkerModel.AnswerPieces, content);
        Assert.True(
            deltas.FindLastIndex(d => Field(d, "reasoning") is not null) < deltas.FindIndex(d => Field(d, "content") is { Length: > 0 }),
            "all reasoning comes before the content");
        Assert.Equal("stop", events.Select(e => e.Data.GetProperty("choices")).Last(c => c.GetArrayLength() > 0)[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task Reasoning_effort_none_answers_without_reasoning()
    {
        var doc = await fx.PostOkAsync("/v1/chat/completions", $$"""{"model":"thinker","reasoning_effort":"none","messages":{{Hi}}}""");
        var message = doc.GetProperty("choices")[0].GetProperty("message");
        Assert.Equal(ThinkerModel.Answer, message.GetProperty("content").GetString());
        Assert.False(message.TryGetProperty("reasoning", out var r) && r.ValueKind == JsonValueKind.String);
        Assert.False(message.TryGetProperty("reasoning_content", out var rc) && rc.ValueKind == JsonValueKind.String);
        Assert.Equal(ThinkerModel.AnswerTokenCount, doc.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task Earlier_reasoning_in_the_history_is_accepted_and_the_next_turn_reasons_again()
    {
        var messages = $$"""
            [{"role":"user","content":"hi"},
             {"role":"assistant","content":"{{ThinkerModel.Answer}}","reasoning_content":"{{ThinkerModel.Thought}}"},
             {"role":"user","content":"hi again"}]
            """;
        var doc = await fx.PostOkAsync("/v1/chat/completions", $$"""{"model":"thinker","reasoning_effort":"low","messages":{{messages}}}""");
        var message = doc.GetProperty("choices")[0].GetProperty("message");
        Assert.Equal(ThinkerModel.Thought, message.GetProperty("reasoning").GetString());
        Assert.Equal(ThinkerModel.Answer, message.GetProperty("content").GetString());
    }

    [Fact]
    public async Task An_unknown_reasoning_effort_is_a_400_naming_the_accepted_values()
    {
        var (status, body) = await fx.PostAsync("/v1/chat/completions", $$"""{"model":"thinker","reasoning_effort":"extreme","messages":{{Hi}}}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(
            "invalid reasoning value: \"extreme\" (must be \"minimal\", \"low\", \"medium\", \"high\", \"xhigh\", \"ultra\", \"max\", or \"none\")",
            JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Reasoning_effort_on_a_model_that_cannot_think_is_an_OpenAI_shaped_400()
    {
        var (status, body) = await fx.PostAsync("/v1/chat/completions", $$"""{"model":"{{ThinkingServerFixture.NonThinker}}","reasoning_effort":"high","messages":{{Hi}}}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Contains("does not support thinking", error.GetProperty("message").GetString());
    }
}
