using System.Text;
using Corral.Gateway.Routing;

namespace Corral.Gateway.Tests.Units;

/// <summary>What the router reads from a body: the model, and a hash that stays the same over a conversation's turns.</summary>
public sealed class RequestSummaryTests
{
    private static RequestSummary Read(string json) => RequestSummary.Read(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Later_turns_of_a_chat_hash_like_the_first_and_other_conversations_do_not()
    {
        var first = Read("""{"model":"m","messages":[{"role":"system","content":"be brief"},{"role":"user","content":"hello"}]}""");
        var second = Read("""{"model":"m:latest","messages":[{"role":"system","content":"be brief"},{"role":"user","content":"hello"},{"role":"assistant","content":"hi"},{"role":"user","content":"more"}]}""");
        var other = Read("""{"model":"m","messages":[{"role":"system","content":"be brief"},{"role":"user","content":"goodbye"}]}""");
        var otherModel = Read("""{"model":"n","messages":[{"role":"system","content":"be brief"},{"role":"user","content":"hello"}]}""");

        Assert.NotNull(first.AffinityHash);
        Assert.Equal(first.AffinityHash, second.AffinityHash);
        Assert.Equal(first.ModelKey, second.ModelKey);
        Assert.NotEqual(first.AffinityHash, other.AffinityHash);
        Assert.NotEqual(first.AffinityHash, otherModel.AffinityHash);
    }

    [Fact]
    public void Every_surface_has_its_beginning_read_openai_parts_anthropic_system_generate_prompt_responses_input()
    {
        var parts = Read("""{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"look"},{"type":"image_url","image_url":{"url":"data:"}}]}]}""");
        var anthropic = Read("""{"model":"m","system":[{"type":"text","text":"rules"}],"messages":[{"role":"user","content":"q"}]}""");
        var generate = Read("""{"model":"m","prompt":"complete this"}""");
        var responses = Read("""{"model":"m","instructions":"other rules","input":"q"}""");

        Assert.All(new[] { parts, anthropic, generate, responses }, s => Assert.NotNull(s.AffinityHash));
        Assert.Equal(4, new[] { parts.AffinityHash, anthropic.AffinityHash, generate.AffinityHash, responses.AffinityHash }.Distinct().Count());
    }

    [Fact]
    public void Only_the_beginning_counts_so_a_long_prompt_that_grows_keeps_its_hash()
    {
        var start = new string('x', RequestSummary.AffinityChars + 10);
        Assert.Equal(Read($$"""{"model":"m","prompt":"{{start}}"}""").AffinityHash, Read($$"""{"model":"m","prompt":"{{start}} and more"}""").AffinityHash);
    }

    [Fact]
    public void A_body_that_is_not_a_json_object_routes_without_a_model()
    {
        Assert.Equal(string.Empty, Read("not json").ModelKey);
        Assert.Null(Read("[1,2]").AffinityHash);
        Assert.Null(Read("""{"model":"m"}""").AffinityHash);
        Assert.Equal("registry.ollama.ai/library/m:latest", Read("""{"model":"M"}""").ModelKey);
    }
}
