using Corral.TestModels;

namespace Corral.Llama.Tests;

/// <summary>
/// LoRA adapters through llama.cpp's own loader, on the successor model and adapters built for it: the greedy effect
/// of an adapter at a scale is known exactly (see <see cref="TestModelWriter.WriteSuccessorLora"/>).
/// </summary>
public sealed class LoraAdapterTests : IDisposable
{
    private const string Prompt = "hello a"; // the successor model answers "bcdef..."
    private readonly string _folder = Directory.CreateTempSubdirectory("corral-lora-").FullName;
    private readonly LlamaModel _model;

    public LoraAdapterTests()
    {
        LlamaBackend.EnsureInitialized();
        var path = Path.Combine(_folder, "successor.gguf");
        TestModelWriter.WriteSuccessor(path);
        _model = LlamaModel.Load(path);
    }

    [Fact]
    public void An_adapter_changes_greedy_output_as_its_scale_times_alpha_over_rank_says()
    {
        // boost 16 × alpha 2 / rank 4 = 8 per unit of scale against the successor's 4.
        using var adapter = LoadAdapter("z", 'z', boost: 16);
        Assert.Equal(TestModelWriter.SuccessorLoraAlpha, adapter.Alpha);
        using var context = NewContext();
        var baseline = SuccessorModel.ExpectedContinuation(Prompt, 5).Text;

        Assert.Equal(baseline, Generate(context, 5));
        context.SetLoraAdapters([adapter], [1f]);
        Assert.Equal("zzzzz", Generate(context, 5));
        context.SetLoraAdapters([adapter], [0.25f]); // 2 < 4: the base model wins again
        Assert.Equal(baseline, Generate(context, 5));
        context.SetLoraAdapters([adapter], [0f]);
        Assert.Equal(baseline, Generate(context, 5));
    }

    [Fact]
    public void Without_alpha_the_scale_alone_multiplies_the_adapter()
    {
        // boost 3: with alpha 2 / rank 4 it would lose (1.5 < 4); without alpha it is 3 × scale.
        using var adapter = LoadAdapter("no-alpha", 'q', boost: 3, alpha: null);
        Assert.Equal(0f, adapter.Alpha);
        using var context = NewContext();
        context.SetLoraAdapters([adapter], [2f]); // 6 > 4
        Assert.Equal("qqq", Generate(context, 3));
        context.SetLoraAdapters([adapter], [1f]); // 3 < 4
        Assert.Equal("bcd", Generate(context, 3));
    }

    [Fact]
    public void Several_adapters_add_up()
    {
        using var z = LoadAdapter("z", 'z', boost: 16); // 8 per unit of scale
        using var q = LoadAdapter("q", 'q', boost: 24); // 12 per unit of scale
        using var context = NewContext();
        context.SetLoraAdapters([z, q], [1f, 1f]);
        Assert.Equal("qqq", Generate(context, 3));
        context.SetLoraAdapters([z, q], [1f, 0.25f]); // q: 3
        Assert.Equal("zzz", Generate(context, 3));
        context.SetLoraAdapters([z, q], [0f, 0.25f]); // q: 3 < 4
        Assert.Equal("bcd", Generate(context, 3));
        context.SetLoraAdapters([], []);
        Assert.Equal("bcd", Generate(context, 3));
    }

    [Theory]
    [InlineData("arch", "model arch and LoRA arch mismatch")]
    [InlineData("type", "expect general.type to be 'adapter'")]
    [InlineData("misfit", "does not exist in base model")]
    public void Llama_cpp_refuses_what_cannot_be_applied_and_says_why(string defect, string reason)
    {
        var path = Path.Combine(_folder, defect + ".gguf");
        switch (defect)
        {
            case "arch": TestModelWriter.WriteSuccessorLora(path, 'z', 16, architecture: "bert"); break;
            case "type": TestModelWriter.WriteSuccessor(path); break;
            default: TestModelWriter.WriteMisfitLora(path); break;
        }

        var error = Assert.Throws<LlamaAdapterLoadException>(() => LlamaLoraAdapter.Load(_model, path));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Equal(path, error.Path);
    }

    public void Dispose()
    {
        _model.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private LlamaLoraAdapter LoadAdapter(string name, char token, float boost, float? alpha = TestModelWriter.SuccessorLoraAlpha)
    {
        var path = Path.Combine(_folder, name + ".gguf");
        TestModelWriter.WriteSuccessorLora(path, token, boost, alpha: alpha);
        return LlamaLoraAdapter.Load(_model, path);
    }

    private LlamaContext NewContext() =>
        LlamaContext.Create(_model, new LlamaContextOptions { ContextSize = 256, BatchSize = 64, Threads = 1, BatchThreads = 1 });

    /// <summary>Greedy continuation of <see cref="Prompt"/> from an empty sequence.</summary>
    private string Generate(LlamaContext context, int count)
    {
        context.ClearMemory();
        using var batch = new LlamaBatch(64);
        using var sampler = new LlamaSamplerChain().AddGreedy();
        var tokens = _model.Vocab.Tokenize(Prompt, addSpecial: true, parseSpecial: false);
        for (var i = 0; i < tokens.Length; i++)
        {
            batch.Add(tokens[i], i, new LlamaSeqId(0), logits: i == tokens.Length - 1);
        }

        context.Decode(batch);
        var text = new System.Text.StringBuilder();
        var position = tokens.Length;
        while (text.Length < count)
        {
            var token = sampler.Sample(context, batch.Count - 1);
            if (_model.Vocab.IsEog(token))
            {
                break;
            }

            text.Append((char)token.Value);
            batch.Clear();
            batch.Add(token, position++, new LlamaSeqId(0), logits: true);
            context.Decode(batch);
        }

        return text.ToString();
    }
}
