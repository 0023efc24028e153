namespace Corral.Llama.Tests;

public sealed class SamplerChainTests(VocabFixture fixture) : IClassFixture<VocabFixture>
{
    [Fact]
    public void Fluent_builder_adds_each_sampler_to_the_chain()
    {
        using var chain = new LlamaSamplerChain()
            .AddLogitBias(fixture.Vocab.Count, [new LlamaLogitBias(new LlamaToken(5), float.NegativeInfinity)])
            .AddPenalties(64, 1.1f, 0.1f, 0.1f, fixture.Vocab.Count)
            .AddTopK(40)
            .AddTopP(0.9f)
            .AddMinP(0.05f)
            .AddTypical(1.0f)
            .AddTemperature(0.8f)
            .AddTemperatureExt(0.8f, 0.1f, 1.0f)
            .AddDist(42);
        Assert.Equal(9, chain.Count);
        Assert.Equal(42u, chain.Seed);
    }

    [Fact]
    public void Mirostat_and_greedy_chains()
    {
        using var mirostat = new LlamaSamplerChain().AddTemperature(0.7f).AddMirostat(fixture.Vocab.Count, 7, 5.0f, 0.1f);
        Assert.Equal(7u, mirostat.Seed);
        using var mirostatV2 = new LlamaSamplerChain().AddMirostatV2(9, 5.0f, 0.1f);
        Assert.Equal(9u, mirostatV2.Seed);
        using var greedy = new LlamaSamplerChain().AddGreedy();
        Assert.Equal(Native.LlamaNative.DefaultSeed, greedy.Seed);
        greedy.Accept(new LlamaToken(1));
        greedy.Reset();
    }

    [Fact]
    public void A_valid_grammar_is_added()
    {
        using var chain = new LlamaSamplerChain()
            .AddGrammar(fixture.Vocab, "root ::= \"yes\" | \"no\"")
            .AddGreedy();
        Assert.Equal(2, chain.Count);
    }

    [Fact]
    public void A_bad_grammar_throws_a_grammar_exception()
    {
        using var chain = new LlamaSamplerChain();
        var ex = Assert.Throws<LlamaGrammarException>(() => chain.AddGrammar(fixture.Vocab, "root ::= (\"unclosed\""));
        Assert.Contains("grammar", ex.Message);
        Assert.Equal(0, chain.Count);
    }

    [Fact]
    public void A_grammar_without_its_root_rule_throws_a_grammar_exception()
    {
        using var chain = new LlamaSamplerChain();
        var ex = Assert.Throws<LlamaGrammarException>(() => chain.AddGrammar(fixture.Vocab, "answer ::= \"yes\"", "root"));
        Assert.Contains("root", ex.Message);
    }
}
