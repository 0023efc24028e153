using Corral.Runner.Protocol;
using Corral.TestModels;

namespace Corral.Runner.Tests.Engine;

/// <summary>Generation semantics against the hand-built successor model, whose greedy output is known exactly.</summary>
public sealed class SuccessorGenerationTests(RunnerFixture fixture) : IClassFixture<RunnerFixture>
{
    [Fact]
    public async Task Greedy_output_is_exactly_the_successor_chain_and_ends_on_eot()
    {
        var result = await RunnerCompletion.RunAsync(fixture.Successor.Client, RunnerCompletion.Greedy("hello a"));
        var expected = SuccessorModel.ExpectedContinuation("hello a", 100);

        Assert.True(expected.EndedWithEndOfGeneration);
        Assert.Equal(expected.Text, result.Text);
        Assert.Equal("bcdefghijklmnopqrstuvwxyz", result.Text);
        Assert.Equal("stop", result.Final.DoneReason);
        Assert.Equal(expected.TokenCount, result.Final.EvalCount);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(33)]
    public async Task Num_predict_is_honoured_exactly(int n)
    {
        var result = await RunnerCompletion.RunAsync(fixture.Successor.Client, RunnerCompletion.Greedy("count 0", n));
        var expected = SuccessorModel.ExpectedContinuation("count 0", n);

        Assert.Equal(expected.Text, result.Text);
        Assert.Equal(n, result.Final.EvalCount);
        Assert.Equal("length", result.Final.DoneReason);
    }

    [Fact]
    public async Task Stop_string_spanning_two_tokens_is_not_emitted()
    {
        // Digits come one token each, so "45" spans two tokens.
        var result = await RunnerCompletion.RunAsync(fixture.Successor.Client, RunnerCompletion.Greedy("n 0", 50, "45"));

        Assert.Equal("123", result.Text);
        Assert.Equal("stop", result.Final.DoneReason);
        Assert.Equal("45", result.Final.StopSequence);
    }

    [Fact]
    public async Task Final_chunk_names_the_stop_string_that_matched_and_none_when_eog_ended()
    {
        var stopped = await RunnerCompletion.RunAsync(fixture.Successor.Client, RunnerCompletion.Greedy("hello a", 50, "xyz", "fgh", "never"));
        Assert.Equal("bcde", stopped.Text);
        Assert.Equal("stop", stopped.Final.DoneReason);
        Assert.Equal("fgh", stopped.Final.StopSequence);

        var ended = await RunnerCompletion.RunAsync(fixture.Successor.Client, RunnerCompletion.Greedy("hello a", 50, "never"));
        Assert.Equal("stop", ended.Final.DoneReason);
        Assert.Null(ended.Final.StopSequence);

        var limited = await RunnerCompletion.RunAsync(fixture.Successor.Client, RunnerCompletion.Greedy("hello a", 3, "never"));
        Assert.Equal("length", limited.Final.DoneReason);
        Assert.Null(limited.Final.StopSequence);
    }

    [Fact]
    public async Task Prefix_shared_with_an_earlier_request_is_not_evaluated_again()
    {
        var shared = "the quick brown fox jumps over the lazy dog, and then the quick brown fox jumps again! " + new string('x', 100);
        var first = await RunnerCompletion.RunAsync(fixture.Successor.Client, RunnerCompletion.Greedy(shared + " one", 3));
        var second = await RunnerCompletion.RunAsync(fixture.Successor.Client, RunnerCompletion.Greedy(shared + " two", 3));

        Assert.True(first.Final.PromptEvalCount > 150, $"first prompt evaluated {first.Final.PromptEvalCount} tokens");
        // Only " two" (and nothing of the shared part) is evaluated the second time, but the count is the whole
        // prompt's, as Ollama reports it; the part the cache served is cached_tokens.
        Assert.InRange(second.Final.PromptEvalCount - second.Final.CachedTokens, 1, 4);
        Assert.InRange(second.Final.PromptEvalCount, first.Final.PromptEvalCount - 3, first.Final.PromptEvalCount + 3);
        Assert.True(second.Final.CachedTokens > 150, $"cached {second.Final.CachedTokens}");
    }

    [Fact]
    public async Task Identical_prompt_reuses_everything_but_the_last_token()
    {
        var prompt = "repeat me exactly " + new string('y', 40);
        var first = await RunnerCompletion.RunAsync(fixture.Successor.Client, RunnerCompletion.Greedy(prompt, 2));
        var again = await RunnerCompletion.RunAsync(fixture.Successor.Client, RunnerCompletion.Greedy(prompt, 2));

        Assert.Equal(first.Final.PromptEvalCount, again.Final.PromptEvalCount);
        Assert.Equal(again.Final.PromptEvalCount - 1, again.Final.CachedTokens);
    }

    [Fact]
    public async Task Concurrent_requests_each_get_their_own_exact_output()
    {
        var prompts = new[] { "a", "count 3", "x m", "q 7", "w", "e s" };
        var tasks = prompts.Select(p => RunnerCompletion.RunAsync(fixture.Successor.Client, RunnerCompletion.Greedy(p, 20))).ToArray();
        var results = await Task.WhenAll(tasks);

        for (var i = 0; i < prompts.Length; i++)
        {
            Assert.Equal(SuccessorModel.ExpectedContinuation(prompts[i], 20).Text, results[i].Text);
        }
    }

    [Fact]
    public async Task Durations_are_measured()
    {
        var result = await RunnerCompletion.RunAsync(fixture.Successor.Client, RunnerCompletion.Greedy("a", 10));
        Assert.True(result.Final.PromptEvalDuration > 0);
        Assert.True(result.Final.EvalDuration > 0);
    }

    [Fact]
    public async Task Prompt_longer_than_the_context_fails_when_truncate_is_off()
    {
        var request = RunnerCompletion.Greedy(new string('z', 2000), 5);
        request.Truncate = false;
        var error = await Assert.ThrowsAsync<Corral.Runner.Client.RunnerException>(() => fixture.Successor.Client.StartCompletionAsync(request, CancellationToken.None));
        Assert.True(error.IsBadRequest, "refused before streaming, as the client's fault");
        Assert.Equal("the input length exceeds the context length", error.Message);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1_000_000)]
    public async Task Token_ids_outside_the_vocabulary_are_refused_before_streaming(int bad)
    {
        var inContext = RunnerCompletion.Greedy("a", 3);
        inContext.PrefixTokens = [1, bad];
        var error = await Assert.ThrowsAsync<Corral.Runner.Client.RunnerException>(() => fixture.Successor.Client.StartCompletionAsync(inContext, CancellationToken.None));
        Assert.True(error.IsBadRequest);
        Assert.Equal($"invalid token id {bad} in context", error.Message);

        var asPrompt = RunnerCompletion.Greedy(string.Empty, 3);
        asPrompt.Tokens = [bad];
        error = await Assert.ThrowsAsync<Corral.Runner.Client.RunnerException>(() => fixture.Successor.Client.StartCompletionAsync(asPrompt, CancellationToken.None));
        Assert.True(error.IsBadRequest);

        var biased = RunnerCompletion.Greedy("a", 3);
        biased.Sampling.LogitBias = new() { [bad] = 1f };
        error = await Assert.ThrowsAsync<Corral.Runner.Client.RunnerException>(() => fixture.Successor.Client.StartCompletionAsync(biased, CancellationToken.None));
        Assert.True(error.IsBadRequest);
        Assert.Equal($"invalid token id {bad} in logit_bias", error.Message);
    }

    [Fact]
    public async Task A_grammar_llama_cpp_rejects_is_refused_before_streaming_and_the_runner_goes_on()
    {
        var request = RunnerCompletion.Greedy("a", 3);
        request.Sampling.Grammar = "root ::= missing-rule";
        var error = await Assert.ThrowsAsync<Corral.Runner.Client.RunnerException>(() => fixture.Successor.Client.StartCompletionAsync(request, CancellationToken.None));
        Assert.True(error.IsBadRequest);
        Assert.StartsWith("invalid grammar", error.Message);

        var result = await RunnerCompletion.RunAsync(fixture.Successor.Client, RunnerCompletion.Greedy("hello a", 3));
        Assert.Equal("bcd", result.Text);
    }

    [Fact]
    public async Task Prompt_longer_than_the_context_is_truncated_by_default()
    {
        var request = RunnerCompletion.Greedy(new string('k', 2000) + " a", 5);
        var result = await RunnerCompletion.RunAsync(fixture.Successor.Client, request);
        Assert.Equal("bcdef", result.Text);
        Assert.True(result.Final.PromptEvalCount < 512);
    }

    [Fact]
    public async Task Generation_past_the_context_shifts_or_stops_with_length()
    {
        var shifting = RunnerCompletion.Greedy("0", 700);
        var shifted = await RunnerCompletion.RunAsync(fixture.Successor.Client, shifting);
        Assert.Equal(700, shifted.Final.EvalCount);
        Assert.Equal(SuccessorModel.ExpectedContinuation("0", 700).Text, shifted.Text);

        var noShift = RunnerCompletion.Greedy("0", 700);
        noShift.Shift = false;
        var stopped = await RunnerCompletion.RunAsync(fixture.Successor.Client, noShift);
        Assert.Equal("length", stopped.Final.DoneReason);
        Assert.InRange(stopped.Final.EvalCount, 400, 511);
    }

    [Fact]
    public async Task Logprobs_are_reported_for_each_token()
    {
        var request = RunnerCompletion.Greedy("a", 3);
        request.Logprobs = true;
        request.TopLogprobs = 2;
        var logprobs = new List<TokenLogprob>();
        await foreach (var chunk in fixture.Successor.Client.CompleteAsync(request, CancellationToken.None))
        {
            logprobs.AddRange(chunk.Logprobs ?? []);
        }

        Assert.Equal(["b", "c", "d"], logprobs.Select(l => l.Token));
        Assert.All(logprobs, l => Assert.InRange(l.Logprob, -1.0, 0.0));
        Assert.All(logprobs, l => Assert.Equal(l.Token, l.TopLogprobs![0].Token));
    }
}
