using Corral.Llama;
using Corral.Runner.Engine.Sampling;
using Corral.Runner.Protocol;

namespace Corral.Runner.Tests.Engine;

/// <summary>Corral's in-place bias and penalties give exactly the logits llama.cpp's logit_bias + penalties samplers give.</summary>
public sealed class LogitAdjustmentsTests
{
    private const int Vocab = 2048;

    public LogitAdjustmentsTests() => LlamaBackend.EnsureInitialized();

    [Theory]
    [InlineData(64, 1.1f, 0f, 0f)]
    [InlineData(8, 1.3f, 0.2f, 0.5f)]
    [InlineData(3, 1.0f, 0.7f, 0f)]
    [InlineData(-1, 0.9f, 0f, 0.3f)] // -1: the whole context
    public void Matches_llama_cpp_for_the_same_history(int lastN, float repeat, float frequency, float presence)
    {
        var random = new Random(lastN + 100);
        var history = Enumerable.Range(0, 300).Select(_ => new LlamaToken(random.Next(40))).ToArray(); // many repeats
        var bias = new Dictionary<int, float> { [3] = -5f, [7] = 2.5f, [Vocab - 1] = 1f };
        var parameters = new SamplingParameters { RepeatLastN = lastN, RepeatPenalty = repeat, FrequencyPenalty = frequency, PresencePenalty = presence, LogitBias = bias };
        const int Context = 256;
        var logits = Enumerable.Range(0, Vocab).Select(_ => (float)((random.NextDouble() * 20) - 10)).ToArray();

        var ours = (float[])logits.Clone();
        var adjustments = LogitAdjustments.Create(parameters, Context)!;
        foreach (var t in history)
        {
            adjustments.Accept(t);
        }

        adjustments.Apply(ours);

        var theirs = (float[])logits.Clone();
        using var chain = new LlamaSamplerChain();
        chain.AddLogitBias(Vocab, bias.Select(kv => new LlamaLogitBias(new LlamaToken(kv.Key), kv.Value)).ToArray());
        chain.AddPenalties(lastN < 0 ? Context : lastN, repeat, frequency, presence);
        foreach (var t in history)
        {
            chain.Accept(t);
        }

        chain.ApplyToLogits(theirs);
        Assert.Equal(theirs, ours);
        Assert.NotEqual(logits, ours); // something did change
    }

    [Fact]
    public void Nothing_to_do_is_no_adjustments_and_a_huge_window_is_bounded_by_the_context()
    {
        Assert.Null(LogitAdjustments.Create(new SamplingParameters { RepeatPenalty = 1f }, 512));
        Assert.Null(LogitAdjustments.Create(new SamplingParameters { RepeatLastN = 0, RepeatPenalty = 1.5f }, 512));

        // repeat_last_n = int.MaxValue used to make llama.cpp allocate a ring of 2^31 entries (8 GB).
        var huge = LogitAdjustments.Create(new SamplingParameters { RepeatLastN = int.MaxValue, RepeatPenalty = 2f }, 4)!;
        foreach (var t in new[] { 1, 2, 3, 4, 5 })
        {
            huge.Accept(new LlamaToken(t));
        }

        var logits = new float[8];
        Array.Fill(logits, 1f);
        huge.Apply(logits);
        Assert.Equal([1f, 1f, 0.5f, 0.5f, 0.5f, 0.5f, 1f, 1f], logits); // token 1 left the 4-token window
    }

    [Fact]
    public void Greedy_picks_the_first_of_equal_maxima_as_llama_cpp_does()
    {
        // The greedy fast path uses TensorPrimitives.IndexOfMax; llama.cpp's greedy sampler keeps the first maximum.
        var logits = new float[1000];
        Array.Fill(logits, -1f);
        logits[700] = 5f;
        logits[300] = 5f;
        logits[999] = 5f;
        Assert.Equal(300, System.Numerics.Tensors.TensorPrimitives.IndexOfMax<float>(logits));
    }
}
