using Corral.Runner.Client;
using Corral.Runner.Protocol;
using Corral.Testing;
using Corral.TestModels;

namespace Corral.Runner.Tests.Engine;

/// <summary>
/// LoRA scales and speculative decoding in one runner. One decode step serves one set of adapter scales, and only
/// that set's slots draft in it; the draft model has no adapter. The successor model with a 'z' adapter makes the
/// two kinds of slot easy to tell apart: at scale 0 the target is the bare successor and agrees with its draft (the
/// same model), at scale 1 it answers "zzz..." and rejects every draft. Requests of both kinds at once must each get
/// the output they get alone on a runner with no draft.
/// </summary>
public sealed class LoraSpeculationTests(LoraSpeculationTests.Runners runners) : IClassFixture<LoraSpeculationTests.Runners>
{
    private const int Tokens = 24;

    public sealed class Runners : IAsyncLifetime
    {
        private readonly RunnerFixture _fixture = new();

        /// <summary>The successor model with the 'z' adapter, no draft.</summary>
        public RunnerProcess Plain { get; private set; } = null!;

        /// <summary>The same, drafted for by the bare successor model.</summary>
        public RunnerProcess Drafted { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            CorralPaths.UseCorralDllForRunners();
            var adapter = Path.Combine(TempFolders.Create("corral-lora-spec-"), "z.gguf");
            TestModelWriter.WriteSuccessorLora(adapter, 'z', 16);
            Plain = await _fixture.StartAsync(GeneratedModels.Successor, parallel: 4, context: 256, adapters: [adapter]);
            Drafted = await _fixture.StartAsync(GeneratedModels.Successor, parallel: 4, context: 256, draftModel: GeneratedModels.Successor, adapters: [adapter]);
        }

        public Task DisposeAsync() => _fixture.DisposeAsync();
    }

    [Fact]
    public async Task Slots_of_different_adapter_scales_drafting_at_once_each_get_their_output_alone()
    {
        (string Prompt, float Scale)[] requests = [("hello a", 1f), ("count 0", 0f), ("hello there", 1f), ("abc", 0f), ("the fox", 0.25f)];

        var alone = new List<RunnerCompletion>();
        foreach (var (prompt, scale) in requests)
        {
            alone.Add(await RunnerCompletion.RunAsync(runners.Plain.Client, Request(prompt, scale)));
        }

        var before = await runners.Drafted.Client.HealthAsync(CancellationToken.None);
        var together = await Task.WhenAll(requests.Select(r => RunnerCompletion.RunAsync(runners.Drafted.Client, Request(r.Prompt, r.Scale))));
        var after = await runners.Drafted.Client.HealthAsync(CancellationToken.None);

        for (var i = 0; i < requests.Length; i++)
        {
            var (prompt, scale) = requests[i];
            var expected = scale >= 0.5f ? new string('z', Tokens) : SuccessorModel.ExpectedContinuation(prompt, Tokens).Text;
            Assert.Equal(expected, alone[i].Text);
            Assert.Equal(alone[i].Final.Tokens, together[i].Final.Tokens);
            Assert.Equal(expected, together[i].Text);
        }

        // Both kinds of slot drafted: the bare-successor ones accepted drafts, the 'z' ones rejected them.
        var drafted = after.DraftTokensDrafted - before.DraftTokensDrafted;
        var accepted = after.DraftTokensAccepted - before.DraftTokensAccepted;
        Assert.True(accepted > 0, $"no draft accepted of {drafted}");
        Assert.True(accepted < drafted, $"all {drafted} drafts accepted, though two slots answer 'z'");
    }

    private static CompletionRequest Request(string prompt, float scale)
    {
        var request = RunnerCompletion.Greedy(prompt, Tokens);
        request.ReturnTokens = true;
        request.LoraScales = [scale];
        request.Sampling.RepeatPenalty = 1;
        return request;
    }
}
