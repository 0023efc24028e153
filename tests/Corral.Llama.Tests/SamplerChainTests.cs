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

    [Fact]
    public void Dry_penalises_the_token_that_extends_a_repeat_unless_a_breaker_cuts_it()
    {
        var tokens = fixture.Vocab.Tokenize("x one two three one two", addSpecial: false, parseSpecial: false);
        var three = tokens[3];
        var one = tokens[1];
        Assert.Equal(" three", fixture.Vocab.Detokenize([three]));

        // " one two" was followed by " three" before: repeating it further is what DRY penalises.
        var penalised = DryLogits(tokens, ["zzz-nowhere"]);
        Assert.Equal(-0.8f * 1.75f, penalised[three.Value], 3); // multiplier · base^(repeat 2 − allowed 1)
        Assert.Equal(0f, penalised[one.Value]);

        // A breaker the last token contains ends every repeat there: the strings reached llama.cpp.
        var broken = DryLogits(tokens, ["two"]);
        Assert.Equal(0f, broken[three.Value]);

        using var chain = new LlamaSamplerChain();
        Assert.Throws<ArgumentException>(() => chain.AddDry(fixture.Vocab, 0.8f, 1.75f, 1, 64, ["a\0b"]));
    }

    [Fact]
    public void Copies_of_a_dry_template_penalise_as_a_fresh_dry_sampler_does_each_with_its_own_history()
    {
        var tokens = fixture.Vocab.Tokenize("x one two three one two", addSpecial: false, parseSpecial: false);
        var three = tokens[3];
        using var template = new LlamaDrySampler(fixture.Vocab, 0.8f, 1.75f, 1, 64, ["zzz-nowhere"]);
        using var first = new LlamaSamplerChain().AddDry(template);
        using var second = new LlamaSamplerChain().AddDry(template);
        foreach (var token in tokens)
        {
            first.Accept(token);
        }

        // The copy that saw the repeat penalises extending it exactly as a sampler built for the chain does.
        var penalised = new float[fixture.Vocab.Count];
        first.ApplyToLogits(penalised);
        Assert.Equal(DryLogits(tokens, ["zzz-nowhere"]), penalised);
        Assert.Equal(-0.8f * 1.75f, penalised[three.Value], 3);

        // The other copy saw nothing: the history is not shared through the template.
        var untouched = new float[fixture.Vocab.Count];
        second.ApplyToLogits(untouched);
        Assert.All(untouched, l => Assert.Equal(0f, l));

        // The breakers travel with the copies.
        using var breaking = new LlamaDrySampler(fixture.Vocab, 0.8f, 1.75f, 1, 64, ["two"]);
        using var broken = new LlamaSamplerChain().AddDry(breaking);
        foreach (var token in tokens)
        {
            broken.Accept(token);
        }

        var cut = new float[fixture.Vocab.Count];
        broken.ApplyToLogits(cut);
        Assert.Equal(0f, cut[three.Value]);
    }

    [Fact]
    public void Top_n_sigma_masks_logits_far_below_the_top_one()
    {
        var logits = new float[fixture.Vocab.Count];
        logits[7] = 10f;
        using (var narrow = new LlamaSamplerChain().AddTopNSigma(1f))
        {
            var masked = (float[])logits.Clone();
            narrow.ApplyToLogits(masked);
            Assert.Equal(10f, masked[7]);
            Assert.Equal(float.NegativeInfinity, masked[5]);
        }

        using var wide = new LlamaSamplerChain().AddTopNSigma(1000f);
        var kept = (float[])logits.Clone();
        wide.ApplyToLogits(kept);
        Assert.Equal(0f, kept[5]);
    }

    [Fact]
    public void Xtc_is_added_with_its_seed()
    {
        using var chain = new LlamaSamplerChain().AddXtc(1f, 0.1f, 17).AddDist(17);
        Assert.Equal(2, chain.Count);
    }

    private float[] DryLogits(LlamaToken[] history, string[] breakers)
    {
        using var chain = new LlamaSamplerChain().AddDry(fixture.Vocab, 0.8f, 1.75f, 1, 64, breakers);
        foreach (var token in history)
        {
            chain.Accept(token);
        }

        var logits = new float[fixture.Vocab.Count];
        chain.ApplyToLogits(logits);
        return logits;
    }
}
