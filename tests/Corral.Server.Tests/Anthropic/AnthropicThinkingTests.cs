using System.Net;
using System.Text.Json;
using Corral.Server.Tests.Inference;
using Corral.TestModels;

namespace Corral.Server.Tests.Anthropic;

/// <summary>
/// /v1/messages extended thinking end to end: the thinker model's thought becomes a thinking block (with the opaque,
/// non-empty signature clients replay) before the text block, streamed as thinking_delta events closed by a signature_delta.
/// </summary>
[Collection(ThinkingCollectionDefinition.Name)]
public sealed class AnthropicThinkingTests(ThinkingServerFixture fx)
{
    private const string Hi = """[{"role":"user","content":"hi"}]""";

    [Fact]
    public async Task Message_has_a_thinking_block_then_a_text_block()
    {
        var doc = await fx.PostOkAsync("/v1/messages", $$"""{"model":"thinker","max_tokens":100,"thinking":{"type":"enabled","budget_tokens":1024},"messages":{{Hi}}}""");
        Assert.Equal("end_turn", doc.GetProperty("stop_reason").GetString());
        var blocks = doc.GetProperty("content").EnumerateArray().ToList();
        Assert.Equal(["thinking", "text"], blocks.Select(b => b.GetProperty("type").GetString()));
        Assert.Equal(ThinkerModel.Thought, blocks[0].GetProperty("thinking").GetString());
        Assert.NotEmpty(blocks[0].GetProperty("signature").GetString()!);
        Assert.Equal(ThinkerModel.Answer, blocks[1].GetProperty("text").GetString());
        Assert.Equal(ThinkerModel.ThinkingTokenCount, doc.GetProperty("usage").GetProperty("output_tokens").GetInt32());
    }

    [Fact]
    public async Task Stream_sends_thinking_deltas_and_a_signature_then_text_deltas()
    {
        var events = await fx.PostSseAsync("/v1/messages", $$"""{"model":"thinker","max_tokens":100,"stream":true,"thinking":{"type":"enabled","budget_tokens":1024},"messages":{{Hi}}}""");
        string[] expected =
        [
            "message_start", "ping",
            "content_block_start", "content_block_delta", "content_block_delta", "content_block_delta", "content_block_stop",
            "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
            "message_delta", "message_stop",
        ];
        Assert.Equal(expected, events.Select(e => e.Name));
        var data = events.Select(e => e.Data).ToList();
        Assert.Equal(expected, data.Select(e => e.GetProperty("type").GetString()));

        var thinkingBlock = data[2].GetProperty("content_block");
        Assert.Equal("thinking", thinkingBlock.GetProperty("type").GetString());
        Assert.Equal(string.Empty, thinkingBlock.GetProperty("thinking").GetString());
        Assert.Equal(JsonValueKind.String, thinkingBlock.GetProperty("signature").ValueKind);
        Assert.All(data[2..7], e => Assert.Equal(0, e.GetProperty("index").GetInt32()));
        Assert.Equal(["thinking_delta", "thinking_delta", "signature_delta"], data[3..6].Select(e => e.GetProperty("delta").GetProperty("type").GetString()));
        Assert.Equal(ThinkerModel.ThoughtPieces, data[3..5].Select(e => e.GetProperty("delta").GetProperty("thinking").GetString()));
        Assert.NotEmpty(data[5].GetProperty("delta").GetProperty("signature").GetString()!);

        Assert.Equal("text", data[7].GetProperty("content_block").GetProperty("type").GetString());
        Assert.All(data[7..11], e => Assert.Equal(1, e.GetProperty("index").GetInt32()));
        Assert.Equal(ThinkerModel.AnswerPieces, data[8..10].Select(e => e.GetProperty("delta").GetProperty("text").GetString()));
        Assert.Equal("end_turn", data[11].GetProperty("delta").GetProperty("stop_reason").GetString());
        Assert.Equal(ThinkerModel.ThinkingTokenCount, data[11].GetProperty("usage").GetProperty("output_tokens").GetInt32());
    }

    [Fact]
    public async Task The_streamed_signature_is_the_one_the_whole_message_carries()
    {
        // Opaque but deterministic (a hash of the thinking text): a client that assembles the block
        // from the stream gets the very block the non-streamed answer has.
        var whole = (await fx.PostOkAsync("/v1/messages", $$"""{"model":"thinker","max_tokens":100,"thinking":{"type":"enabled","budget_tokens":1024},"messages":{{Hi}}}"""))
            .GetProperty("content")[0].GetProperty("signature").GetString();
        var events = await fx.PostSseAsync("/v1/messages", $$"""{"model":"thinker","max_tokens":100,"stream":true,"thinking":{"type":"enabled","budget_tokens":1024},"messages":{{Hi}}}""");
        var streamed = events.Select(e => e.Data)
            .Where(d => d.TryGetProperty("delta", out var delta) && delta.TryGetProperty("type", out var type) && type.GetString() == "signature_delta")
            .Select(d => d.GetProperty("delta").GetProperty("signature").GetString())
            .Single();

        Assert.False(string.IsNullOrEmpty(whole));
        Assert.Equal(whole, streamed);
    }

    [Fact]
    public async Task Thinking_disabled_gives_one_text_block()
    {
        var doc = await fx.PostOkAsync("/v1/messages", $$"""{"model":"thinker","max_tokens":100,"thinking":{"type":"disabled"},"messages":{{Hi}}}""");
        var block = Assert.Single(doc.GetProperty("content").EnumerateArray());
        Assert.Equal("text", block.GetProperty("type").GetString());
        Assert.Equal(ThinkerModel.Answer, block.GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_thinking_block_replayed_in_the_history_is_accepted()
    {
        var messages = $$"""
            [{"role":"user","content":"hi"},
             {"role":"assistant","content":[{"type":"thinking","thinking":"{{ThinkerModel.Thought}}","signature":""},{"type":"text","text":"{{ThinkerModel.Answer}}"}]},
             {"role":"user","content":"hi again"}]
            """;
        var doc = await fx.PostOkAsync("/v1/messages", $$"""{"model":"thinker","max_tokens":100,"thinking":{"type":"enabled","budget_tokens":1024},"messages":{{messages}}}""");
        var blocks = doc.GetProperty("content").EnumerateArray().ToList();
        Assert.Equal(ThinkerModel.Thought, blocks[0].GetProperty("thinking").GetString());
        Assert.Equal(ThinkerModel.Answer, blocks[1].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Thinking_on_a_model_that_cannot_think_is_dropped_as_Ollama_does_for_Anthropic_clients()
    {
        // Claude Code sends thinking whatever the model; Ollama relaxes it on /v1/messages rather than refusing.
        var doc = await fx.PostOkAsync("/v1/messages", $$"""{"model":"{{ThinkingServerFixture.NonThinker}}","max_tokens":100,"thinking":{"type":"enabled","budget_tokens":1024},"messages":{{Hi}}}""");
        var block = Assert.Single(doc.GetProperty("content").EnumerateArray());
        Assert.Equal("text", block.GetProperty("type").GetString());
        Assert.Equal(SuccessorModel.Alphabet, block.GetProperty("text").GetString());

        var (status, body) = await fx.PostAsync("/v1/messages/count_tokens", $$"""{"model":"{{ThinkingServerFixture.NonThinker}}","thinking":{"type":"enabled","budget_tokens":1024},"messages":{{Hi}}}""");
        Assert.True(status == HttpStatusCode.OK, body);
    }
}
