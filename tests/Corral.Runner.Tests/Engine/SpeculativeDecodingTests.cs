using Corral.Runner.Client;
using Corral.Runner.Hosting;
using Corral.Runner.Protocol;
using Corral.Testing;

namespace Corral.Runner.Tests.Engine;

/// <summary>
/// Speculative decoding against real runners: the random-weights model as the target (its greedy and sampled output
/// is arbitrary, so agreement with a draft is not luck), drafted for by itself (every draft agrees) and by the
/// successor model (same vocabulary, different choices: drafts are mostly rejected), next to the same target with no
/// draft. The target samples every drafted row in order with the same sampler, so its random number generator is
/// consumed exactly as without a draft: seeded sampled output must be equal, not merely close in distribution.
/// </summary>
public sealed class SpeculativeDecodingTests(SpeculativeDecodingTests.Runners runners) : IClassFixture<SpeculativeDecodingTests.Runners>
{
    private static readonly string[] Prompts =
    [
        "hello there",
        "count 0",
        "the quick brown fox jumps over the lazy dog",
        "zzz",
    ];

    public sealed class Runners : IAsyncLifetime
    {
        private readonly RunnerFixture _fixture = new();

        public RunnerProcess Plain { get; private set; } = null!;

        public RunnerProcess SelfDrafted { get; private set; } = null!;

        public RunnerProcess BadlyDrafted { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            CorralPaths.UseCorralDllForRunners();
            Plain = await _fixture.StartAsync(GeneratedModels.Random, parallel: 4, context: 256);
            SelfDrafted = await _fixture.StartAsync(GeneratedModels.Random, parallel: 4, context: 256, draftModel: GeneratedModels.Random);
            BadlyDrafted = await _fixture.StartAsync(GeneratedModels.Random, parallel: 4, context: 256, draftModel: GeneratedModels.Successor);
        }

        public Task DisposeAsync() => _fixture.DisposeAsync();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Greedy_output_with_a_draft_is_token_for_token_the_output_without(bool agreeingDraft)
    {
        var drafted = agreeingDraft ? runners.SelfDrafted : runners.BadlyDrafted;
        var before = await drafted.Client.HealthAsync(CancellationToken.None);
        foreach (var prompt in Prompts)
        {
            // The default repeat penalty moves the target's choice away from the draft's (which has none): both kinds.
            foreach (var penalty in new[] { 1.0f, 1.1f })
            {
                var plain = await RunnerCompletion.RunAsync(runners.Plain.Client, Greedy(prompt, 60, penalty));
                var speculative = await RunnerCompletion.RunAsync(drafted.Client, Greedy(prompt, 60, penalty));

                Assert.Equal(plain.Final.Tokens, speculative.Final.Tokens);
                Assert.Equal(plain.Text, speculative.Text);
                Assert.Equal(plain.Final.EvalCount, speculative.Final.EvalCount);
                Assert.Equal(plain.Final.DoneReason, speculative.Final.DoneReason);
            }
        }

        var after = await drafted.Client.HealthAsync(CancellationToken.None);
        var checkedTokens = after.DraftTokensDrafted - before.DraftTokensDrafted;
        var accepted = after.DraftTokensAccepted - before.DraftTokensAccepted;
        Assert.True(checkedTokens > 0, "no draft tokens were checked");
        if (agreeingDraft)
        {
            // The draft is the target itself: only the repeat penalty (half the requests) makes them disagree.
            Assert.True(accepted >= checkedTokens * 6 / 10, $"accepted {accepted} of {checkedTokens}");
        }
        else
        {
            Assert.True(accepted < checkedTokens / 2, $"accepted {accepted} of {checkedTokens}");
        }
    }

    [Fact]
    public async Task Four_slots_drafting_at_once_give_the_output_each_would_alone()
    {
        var plain = new List<RunnerCompletion>();
        foreach (var prompt in Prompts)
        {
            plain.Add(await RunnerCompletion.RunAsync(runners.Plain.Client, WithTokens(RunnerCompletion.Greedy(prompt, 80))));
        }

        foreach (var drafted in new[] { runners.SelfDrafted, runners.BadlyDrafted })
        {
            var concurrent = await Task.WhenAll(Prompts.Select(p => RunnerCompletion.RunAsync(drafted.Client, WithTokens(RunnerCompletion.Greedy(p, 80)))));
            for (var i = 0; i < Prompts.Length; i++)
            {
                Assert.Equal(plain[i].Final.Tokens, concurrent[i].Final.Tokens);
                Assert.Equal(plain[i].Text, concurrent[i].Text);
            }
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Seeded_sampled_output_with_a_draft_equals_the_output_without(bool agreeingDraft)
    {
        var drafted = agreeingDraft ? runners.SelfDrafted : runners.BadlyDrafted;
        var distinct = new HashSet<string>();
        for (var seed = 1; seed <= 6; seed++)
        {
            var plain = await RunnerCompletion.RunAsync(runners.Plain.Client, Sampled("once upon a time", seed));
            var speculative = await RunnerCompletion.RunAsync(drafted.Client, Sampled("once upon a time", seed));

            Assert.Equal(plain.Final.Tokens, speculative.Final.Tokens);
            distinct.Add(plain.Text);
        }

        // The seeds really sample (else this would be the greedy test again).
        Assert.True(distinct.Count > 1, "every seed gave the same text");
    }

    [Fact]
    public async Task A_grammar_constrains_drafted_rows_as_it_constrains_plain_ones()
    {
        foreach (var drafted in new[] { runners.SelfDrafted, runners.BadlyDrafted })
        {
            var plainRequest = Greedy("hello there", 40, 1.0f);
            plainRequest.Sampling.Grammar = "root ::= [a-m ]+ \".\"";
            var speculativeRequest = Greedy("hello there", 40, 1.0f);
            speculativeRequest.Sampling.Grammar = plainRequest.Sampling.Grammar;

            var plain = await RunnerCompletion.RunAsync(runners.Plain.Client, plainRequest);
            var speculative = await RunnerCompletion.RunAsync(drafted.Client, speculativeRequest);

            Assert.Matches("^[a-m ]+\\.?$", plain.Text);
            Assert.Equal(plain.Final.Tokens, speculative.Final.Tokens);
        }
    }

    [Fact]
    public async Task Draft_num_predict_zero_turns_drafting_off()
    {
        var before = await runners.SelfDrafted.Client.HealthAsync(CancellationToken.None);
        var request = WithTokens(RunnerCompletion.Greedy("hello there", 40));
        request.DraftNumPredict = 0;
        var off = await RunnerCompletion.RunAsync(runners.SelfDrafted.Client, request);
        var after = await runners.SelfDrafted.Client.HealthAsync(CancellationToken.None);
        var plain = await RunnerCompletion.RunAsync(runners.Plain.Client, WithTokens(RunnerCompletion.Greedy("hello there", 40)));

        Assert.Equal(before.DraftTokensDrafted, after.DraftTokensDrafted);
        Assert.Equal(plain.Final.Tokens, off.Final.Tokens);
        Assert.Equal(plain.Text, off.Text);
    }

    [Fact]
    public async Task A_runner_without_a_draft_reports_no_draft_tokens()
    {
        await RunnerCompletion.RunAsync(runners.Plain.Client, RunnerCompletion.Greedy("hello", 10));
        var health = await runners.Plain.Client.HealthAsync(CancellationToken.None);

        Assert.Equal(0, health.DraftTokensDrafted);
        Assert.Equal(0, health.DraftTokensAccepted);
    }

    [Fact]
    public async Task A_draft_with_another_vocabulary_fails_the_load_with_the_reason()
    {
        CorralPaths.UseCorralDllForRunners();
        var error = await Assert.ThrowsAsync<RunnerException>(() => RunnerProcess.StartAsync(
            new RunnerLaunchOptions { ModelPath = GeneratedModels.Random, DraftModelPath = GeneratedModels.ToolCaller, SocketPath = string.Empty, ContextPerSlot = 128 },
            progress: null,
            CancellationToken.None));

        Assert.Contains("draft model's vocabulary", error.Message);
    }

    private static CompletionRequest Greedy(string prompt, int numPredict, float repeatPenalty)
    {
        var request = WithTokens(RunnerCompletion.Greedy(prompt, numPredict));
        request.Sampling.RepeatPenalty = repeatPenalty;
        return request;
    }

    private static CompletionRequest WithTokens(CompletionRequest request)
    {
        request.ReturnTokens = true;
        return request;
    }

    private static CompletionRequest Sampled(string prompt, int seed) => new()
    {
        Prompt = prompt,
        NumPredict = 50,
        ReturnTokens = true,
        Sampling = new SamplingParameters { Temperature = 1.5f, TopK = 0, TopP = 1, Seed = seed, RepeatPenalty = 1 },
    };
}
