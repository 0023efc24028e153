using System.Net;
using System.Text.Json;
using Corral.TestModels;

namespace Corral.Server.Tests.Inference;

/// <summary>
/// Thinking on /api/chat and /api/generate end to end: the thinker model really generates a think block, the server
/// splits it into the thinking fields (or, with think false, the template prefills an empty block and the model answers).
/// </summary>
[Collection(ThinkingCollectionDefinition.Name)]
public sealed class ThinkingTests(ThinkingServerFixture fx)
{
    private const string Hi = """[{"role":"user","content":"hi"}]""";

    [Fact]
    public async Task Show_reports_the_thinking_capability_only_for_the_template_that_reads_think()
    {
        var thinker = await fx.PostOkAsync("/api/show", """{"model":"thinker"}""");
        Assert.Contains("thinking", thinker.GetProperty("capabilities").EnumerateArray().Select(c => c.GetString()));
        var plain = await fx.PostOkAsync("/api/show", """{"model":"plain-chat"}""");
        Assert.DoesNotContain("thinking", plain.GetProperty("capabilities").EnumerateArray().Select(c => c.GetString()));
    }

    [Theory]
    [InlineData("true")]
    [InlineData("\"high\"")]
    [InlineData("\"low\"")]
    [InlineData("\"max\"")]
    public async Task Chat_with_think_returns_the_thought_apart_from_the_answer(string think)
    {
        var doc = await fx.PostOkAsync("/api/chat", $$"""{"model":"thinker","stream":false,"think":{{think}},"messages":{{Hi}}}""");
        var message = doc.GetProperty("message");
        Assert.Equal("assistant", message.GetProperty("role").GetString());
        Assert.Equal(ThinkerModel.Thought, message.GetProperty("thinking").GetString());
        Assert.Equal(ThinkerModel.Answer, message.GetProperty("content").GetString());
        Assert.Equal("stop", doc.GetProperty("done_reason").GetString());
        Assert.Equal(ThinkerModel.ThinkingTokenCount, doc.GetProperty("eval_count").GetInt32());
    }

    [Fact]
    public async Task Streamed_chat_sends_the_thinking_chunks_then_the_content_chunks()
    {
        var lines = await fx.PostNdjsonAsync("/api/chat", $$"""{"model":"thinker","think":true,"messages":{{Hi}}}""");
        var parts = lines.Select(l => l.GetProperty("message")).Select(m => (
            Thinking: m.TryGetProperty("thinking", out var t) ? t.GetString() : null,
            Content: m.GetProperty("content").GetString())).ToList();

        var thinking = parts.Where(p => p.Thinking is not null).Select(p => p.Thinking!).ToList();
        var content = parts.Where(p => p.Content is { Length: > 0 }).Select(p => p.Content!).ToList();
        Assert.Equal(ThinkerModel.ThoughtPieces, thinking);
        Assert.Equal(ThinkerModel.AnswerPieces, content);
        var lastThinking = parts.FindLastIndex(p => p.Thinking is not null);
        var firstContent = parts.FindIndex(p => p.Content is { Length: > 0 });
        Assert.True(lastThinking < firstContent, "all thinking comes before the content");
        Assert.DoesNotContain(parts, p => p.Thinking is not null && p.Content is { Length: > 0 });
        Assert.True(lines[^1].GetProperty("done").GetBoolean());
        Assert.Equal(ThinkerModel.ThinkingTokenCount, lines[^1].GetProperty("eval_count").GetInt32());
    }

    [Fact]
    public async Task Chat_with_think_false_prefills_an_empty_block_and_answers_without_thinking()
    {
        var rendered = await fx.PostOkAsync("/api/chat", $$"""{"model":"thinker","think":false,"messages":{{Hi}},"_debug_render_only":true}""");
        Assert.EndsWith("<|start_header_id|>assistant<|end_header_id|>\n\n<think></think>\n", rendered.GetProperty("_debug_info").GetProperty("rendered_template").GetString());

        var doc = await fx.PostOkAsync("/api/chat", $$"""{"model":"thinker","stream":false,"think":false,"messages":{{Hi}}}""");
        var message = doc.GetProperty("message");
        Assert.False(message.TryGetProperty("thinking", out _));
        Assert.Equal(ThinkerModel.Answer, message.GetProperty("content").GetString());
        Assert.Equal(ThinkerModel.AnswerTokenCount, doc.GetProperty("eval_count").GetInt32());
    }

    [Fact]
    public async Task Chat_without_think_thinks_by_default_as_Ollama_does_for_a_thinking_model()
    {
        var doc = await fx.PostOkAsync("/api/chat", $$"""{"model":"thinker","stream":false,"messages":{{Hi}}}""");
        var message = doc.GetProperty("message");
        Assert.Equal(ThinkerModel.Thought, message.GetProperty("thinking").GetString());
        Assert.Equal(ThinkerModel.Answer, message.GetProperty("content").GetString());
    }

    [Fact]
    public async Task Earlier_thinking_is_not_replayed_and_the_next_turn_thinks_again()
    {
        var messages = $$"""
            [{"role":"user","content":"hi"},
             {"role":"assistant","thinking":"{{ThinkerModel.Thought}}","content":"{{ThinkerModel.Answer}}"},
             {"role":"user","content":"hi again"}]
            """;
        var rendered = await fx.PostOkAsync("/api/chat", $$"""{"model":"thinker","think":true,"messages":{{messages}},"_debug_render_only":true}""");
        var prompt = rendered.GetProperty("_debug_info").GetProperty("rendered_template").GetString()!;
        Assert.Contains("<|start_header_id|>assistant<|end_header_id|>\n\nHello there!<|eot_id|>", prompt);
        Assert.DoesNotContain(ThinkerModel.Thought, prompt);

        var doc = await fx.PostOkAsync("/api/chat", $$"""{"model":"thinker","stream":false,"think":true,"messages":{{messages}}}""");
        Assert.Equal(ThinkerModel.Thought, doc.GetProperty("message").GetProperty("thinking").GetString());
        Assert.Equal(ThinkerModel.Answer, doc.GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task Generate_with_think_returns_thinking_and_response()
    {
        var doc = await fx.PostOkAsync("/api/generate", """{"model":"thinker","stream":false,"think":true,"prompt":"hi"}""");
        Assert.Equal(ThinkerModel.Thought, doc.GetProperty("thinking").GetString());
        Assert.Equal(ThinkerModel.Answer, doc.GetProperty("response").GetString());
        Assert.Equal(ThinkerModel.ThinkingTokenCount, doc.GetProperty("eval_count").GetInt32());
    }

    [Fact]
    public async Task Streamed_generate_sends_thinking_then_response()
    {
        var lines = await fx.PostNdjsonAsync("/api/generate", """{"model":"thinker","think":"medium","prompt":"hi"}""");
        var thinking = lines.Where(l => l.TryGetProperty("thinking", out _)).Select(l => l.GetProperty("thinking").GetString()!).ToList();
        var response = lines.Select(l => l.GetProperty("response").GetString()!).Where(r => r.Length > 0).ToList();
        Assert.Equal(ThinkerModel.ThoughtPieces, thinking);
        Assert.Equal(ThinkerModel.AnswerPieces, response);
        var lastThinking = lines.FindLastIndex(l => l.TryGetProperty("thinking", out _));
        var firstResponse = lines.FindIndex(l => l.GetProperty("response").GetString() is { Length: > 0 });
        Assert.True(lastThinking < firstResponse, "all thinking comes before the response");
        Assert.True(lines[^1].GetProperty("done").GetBoolean());
    }

    [Fact]
    public async Task Generate_with_think_false_answers_directly_and_without_think_thinks()
    {
        var off = await fx.PostOkAsync("/api/generate", """{"model":"thinker","stream":false,"think":false,"prompt":"hi"}""");
        Assert.False(off.TryGetProperty("thinking", out _));
        Assert.Equal(ThinkerModel.Answer, off.GetProperty("response").GetString());

        var unset = await fx.PostOkAsync("/api/generate", """{"model":"thinker","stream":false,"prompt":"hi"}""");
        Assert.Equal(ThinkerModel.Thought, unset.GetProperty("thinking").GetString());
        Assert.Equal(ThinkerModel.Answer, unset.GetProperty("response").GetString());
    }

    [Fact]
    public async Task Raw_generate_keeps_the_tags_in_the_response()
    {
        // A raw prompt is not templated; ending it in "\n\n" starts the thinking script, and nothing parses it out.
        var doc = await fx.PostOkAsync("/api/generate", """{"model":"thinker","stream":false,"raw":true,"think":false,"prompt":"hi\n\n"}""");
        Assert.Equal(ThinkerModel.ThinkingText, doc.GetProperty("response").GetString());
    }

    [Theory]
    [InlineData("/api/chat", """{"model":"plain-chat","think":true,"messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("/api/generate", """{"model":"plain-chat","think":true,"prompt":"hi"}""")]
    [InlineData("/api/chat", """{"model":"plain-chat","think":"high","stream":false,"messages":[{"role":"user","content":"hi"}]}""")]
    public async Task Think_on_a_model_without_the_capability_is_refused(string path, string body)
    {
        var (status, text) = await fx.PostAsync(path, body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("\"plain-chat\" does not support thinking", JsonDocument.Parse(text).RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Think_false_on_a_model_without_the_capability_is_fine()
    {
        var doc = await fx.PostOkAsync("/api/chat", $$"""{"model":"plain-chat","stream":false,"think":false,"messages":{{Hi}}}""");
        Assert.Equal(SuccessorModel.Alphabet, doc.GetProperty("message").GetProperty("content").GetString());
        Assert.False(doc.GetProperty("message").TryGetProperty("thinking", out _));
    }
}
