using Corral.Llama;
using Corral.Runner.Engine.Sampling;
using Corral.Testing;

namespace Corral.Runner.Tests.Engine;

/// <summary>
/// DRY samplers are built once per setting and copied into each request's chain; a copy must penalise exactly as a
/// sampler built for the request would, and the kept templates stay bounded.
/// </summary>
public sealed class DryTemplatesTests : IDisposable
{
    private readonly LlamaModel _model;

    public DryTemplatesTests()
    {
        LlamaBackend.EnsureInitialized();
        _model = LlamaModel.Load(GeneratedModels.Random, new LlamaModelLoadOptions { VocabOnly = true });
    }

    public void Dispose() => _model.Dispose();

    [Fact]
    public void Requests_with_the_same_settings_share_one_template_and_penalise_as_a_fresh_sampler_does()
    {
        using var templates = new DryTemplates(_model.Vocab);
        var history = _model.Vocab.Tokenize("x one two three one two", addSpecial: false, parseSpecial: false);
        string[] breakers = ["zzz"];

        var fromTemplate = Penalised(history, chain => templates.AddTo(chain, 0.8f, 1.75f, 1, 64, breakers));
        var again = Penalised(history, chain => templates.AddTo(chain, 0.8f, 1.75f, 1, 64, breakers));
        var fresh = Penalised(history, chain => chain.AddDry(_model.Vocab, 0.8f, 1.75f, 1, 64, breakers));

        Assert.Equal(1, templates.Count);
        Assert.Contains(fresh, l => l < 0f); // the repeat is penalised at all
        Assert.Equal(fresh, fromTemplate);
        Assert.Equal(fresh, again);

        // Other breakers are another template, with their own effect: "two" cuts every repeat that ends with it.
        var cut = Penalised(history, chain => templates.AddTo(chain, 0.8f, 1.75f, 1, 64, ["two"]));
        Assert.Equal(2, templates.Count);
        Assert.Equal(Penalised(history, chain => chain.AddDry(_model.Vocab, 0.8f, 1.75f, 1, 64, ["two"])), cut);
        Assert.NotEqual(fresh, cut);
    }

    [Fact]
    public void Only_the_most_recent_settings_are_kept_and_a_refused_breaker_adds_none()
    {
        using var templates = new DryTemplates(_model.Vocab);
        using var chain = new LlamaSamplerChain();
        for (var window = 1; window <= DryTemplates.Capacity + 3; window++)
        {
            templates.AddTo(chain, 0.8f, 1.75f, 1, window, ["\n"]);
        }

        Assert.Equal(DryTemplates.Capacity, templates.Count);
        Assert.Throws<ArgumentException>(() => templates.AddTo(chain, 0.8f, 1.75f, 1, 64, ["a\0b"]));
        Assert.Equal(DryTemplates.Capacity, templates.Count);
    }

    private float[] Penalised(LlamaToken[] history, Action<LlamaSamplerChain> addDry)
    {
        using var chain = new LlamaSamplerChain();
        addDry(chain);
        foreach (var token in history)
        {
            chain.Accept(token);
        }

        var logits = new float[_model.Vocab.Count];
        chain.ApplyToLogits(logits);
        return logits;
    }
}
