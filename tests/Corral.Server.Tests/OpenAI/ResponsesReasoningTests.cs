using Corral.Server.Tests.Inference;
using Corral.TestModels;

namespace Corral.Server.Tests.OpenAI;

/// <summary>
/// /v1/responses reasoning end to end: the thinker model's thought becomes a reasoning item (its summary text) ahead
/// of the message, streamed with the reasoning summary events in OpenAI's order.
/// </summary>
[Collection(ThinkingCollectionDefinition.Name)]
public sealed class ResponsesReasoningTests(ThinkingServerFixture fx)
{
    [Fact]
    public async Task Response_has_a_reasoning_item_with_the_thought_then_the_message()
    {
        var doc = await fx.PostOkAsync("/v1/responses", """{"model":"thinker","input":"hi","reasoning":{"effort":"medium"}}""");
        Assert.Equal("completed", doc.GetProperty("status").GetString());
        Assert.Equal("medium", doc.GetProperty("reasoning").GetProperty("effort").GetString());
        var output = doc.GetProperty("output").EnumerateArray().ToList();
        Assert.Equal(["reasoning", "message"], output.Select(o => o.GetProperty("type").GetString()));

        var summary = Assert.Single(output[0].GetProperty("summary").EnumerateArray());
        Assert.Equal("summary_text", summary.GetProperty("type").GetString());
        Assert.Equal(ThinkerModel.Thought, summary.GetProperty("text").GetString());
        Assert.StartsWith("rs_", output[0].GetProperty("id").GetString());

        var text = Assert.Single(output[1].GetProperty("content").EnumerateArray());
        Assert.Equal("output_text", text.GetProperty("type").GetString());
        Assert.Equal(ThinkerModel.Answer, text.GetProperty("text").GetString());
        Assert.Equal(ThinkerModel.ThinkingTokenCount, doc.GetProperty("usage").GetProperty("output_tokens").GetInt32());
    }

    [Fact]
    public async Task Stream_sends_the_reasoning_summary_events_then_the_message_events()
    {
        var events = await fx.PostSseAsync("/v1/responses", """{"model":"thinker","input":"hi","stream":true,"reasoning":{"effort":"low","summary":"auto"}}""");
        string[] expected =
        [
            "response.created", "response.in_progress",
            "response.output_item.added", "response.reasoning_summary_part.added",
            "response.reasoning_summary_text.delta", "response.reasoning_summary_text.delta",
            "response.reasoning_summary_text.done", "response.reasoning_summary_part.done", "response.output_item.done",
            "response.output_item.added", "response.content_part.added",
            "response.output_text.delta", "response.output_text.delta",
            "response.output_text.done", "response.content_part.done", "response.output_item.done",
            "response.completed",
        ];
        var data = events.Select(e => e.Data).ToList();
        Assert.Equal(expected, data.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal(expected, events.Select(e => e.Name));
        Assert.Equal(Enumerable.Range(0, data.Count), data.Select(e => e.GetProperty("sequence_number").GetInt32()));

        var reasoningId = data[2].GetProperty("item").GetProperty("id").GetString();
        Assert.Equal("reasoning", data[2].GetProperty("item").GetProperty("type").GetString());
        Assert.Equal(0, data[2].GetProperty("output_index").GetInt32());
        Assert.Equal(ThinkerModel.ThoughtPieces, data[4..6].Select(e => e.GetProperty("delta").GetString()));
        Assert.All(data[3..8], e => Assert.Equal(reasoningId, e.GetProperty("item_id").GetString()));
        Assert.Equal(reasoningId, data[8].GetProperty("item").GetProperty("id").GetString());
        Assert.Equal(ThinkerModel.Thought, data[6].GetProperty("text").GetString());
        Assert.Equal(ThinkerModel.Thought, data[7].GetProperty("part").GetProperty("text").GetString());
        Assert.Equal(ThinkerModel.Thought, data[8].GetProperty("item").GetProperty("summary")[0].GetProperty("text").GetString());

        Assert.Equal(1, data[9].GetProperty("output_index").GetInt32());
        Assert.Equal(ThinkerModel.AnswerPieces, data[11..13].Select(e => e.GetProperty("delta").GetString()));
        Assert.Equal(ThinkerModel.Answer, data[13].GetProperty("text").GetString());

        var final = data[^1].GetProperty("response");
        Assert.Equal(["reasoning", "message"], final.GetProperty("output").EnumerateArray().Select(o => o.GetProperty("type").GetString()));
        Assert.Equal(ThinkerModel.Thought, final.GetProperty("output")[0].GetProperty("summary")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Effort_none_gives_only_the_message()
    {
        var doc = await fx.PostOkAsync("/v1/responses", """{"model":"thinker","input":"hi","reasoning":{"effort":"none"}}""");
        var output = Assert.Single(doc.GetProperty("output").EnumerateArray());
        Assert.Equal("message", output.GetProperty("type").GetString());
        Assert.Equal(ThinkerModel.Answer, output.GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_reasoning_item_passed_back_is_accepted_and_the_next_turn_reasons_again()
    {
        var input = $$"""
            [{"role":"user","content":"hi"},
             {"type":"reasoning","summary":[{"type":"summary_text","text":"{{ThinkerModel.Thought}}"}]},
             {"role":"assistant","content":"{{ThinkerModel.Answer}}"},
             {"role":"user","content":"hi again"}]
            """;
        var doc = await fx.PostOkAsync("/v1/responses", $$$"""{"model":"thinker","input":{{{input}}},"reasoning":{"effort":"high"}}""");
        var output = doc.GetProperty("output");
        Assert.Equal(ThinkerModel.Thought, output[0].GetProperty("summary")[0].GetProperty("text").GetString());
        Assert.Equal(ThinkerModel.Answer, output[1].GetProperty("content")[0].GetProperty("text").GetString());
    }
}
