using Corral.Runner.Client;
using Corral.Runner.Protocol;
using Corral.Testing;

namespace Corral.Runner.Tests.Engine;

/// <summary>
/// A prompt's prefix served without evaluating it: copied from another slot (busy or not) or restored from the
/// host-memory prompt cache. The random-weights model attends to its whole context, so a wrong or partial copy
/// changes the next token's distribution, which is compared with a fresh runner's.
/// </summary>
public sealed class PrefixSharingTests(RunnerFixture fixture) : IClassFixture<RunnerFixture>
{
    private static readonly string SharedPrefix = string.Join(' ', Enumerable.Range(0, 120).Select(i => $"w{i * 37 % 101}"));

    [Fact]
    public async Task A_request_sharing_a_long_prefix_with_a_busy_slot_copies_its_kv()
    {
        // The busy slot must still hold the whole prefix when the second request arrives. With a small context
        // the tiny model fills its slot in a fraction of a second and shifts the context, dropping the prefix
        // (on a loaded machine the second request then found nothing to copy): give it room it cannot fill
        // before this test cancels it, and a limit that stops it short of a shift.
        const int contextPerSlot = 8192;
        var runner = await fixture.StartAsync(GeneratedModels.Random, parallel: 2, context: contextPerSlot);
        using var busy = new CancellationTokenSource();
        var first = runner.Client.CompleteAsync(Request(SharedPrefix + " first", numPredict: contextPerSlot - 1024), busy.Token).GetAsyncEnumerator(busy.Token);
        Assert.True(await first.MoveNextAsync()); // generating: its slot is busy

        var second = await RunnerCompletion.RunAsync(runner.Client, Request(SharedPrefix + " second", numPredict: 1));
        await busy.CancelAsync();
        await DrainAsync(first);

        var prefixTokens = (await runner.Client.TokenizeAsync(SharedPrefix, CancellationToken.None)).Length;
        Assert.True(second.Final.CachedTokens >= prefixTokens - 2, $"cached {second.Final.CachedTokens} of a {prefixTokens}-token prefix");
        Assert.True((await runner.Client.HealthAsync(CancellationToken.None)).SharedPrefixTokens >= prefixTokens - 2);
        await AssertSameDistributionAsFreshAsync(second, SharedPrefix + " second");
    }

    [Fact]
    public async Task A_prompt_that_left_the_only_slot_is_restored_from_host_memory()
    {
        var runner = await fixture.StartAsync(GeneratedModels.Random, parallel: 1, context: 1024, promptCacheMegabytes: 64);
        await RunnerCompletion.RunAsync(runner.Client, Request(SharedPrefix + " one", numPredict: 1));
        var other = string.Join(' ', Enumerable.Range(0, 100).Select(i => $"z{i}"));
        await RunnerCompletion.RunAsync(runner.Client, Request(other, numPredict: 1)); // takes the slot over

        var again = await RunnerCompletion.RunAsync(runner.Client, Request(SharedPrefix + " two", numPredict: 1));

        var prefixTokens = (await runner.Client.TokenizeAsync(SharedPrefix, CancellationToken.None)).Length;
        Assert.True(again.Final.CachedTokens >= prefixTokens - 2, $"cached {again.Final.CachedTokens} of a {prefixTokens}-token prefix");
        var health = await runner.Client.HealthAsync(CancellationToken.None);
        Assert.True(health.PromptCacheRestoredTokens >= prefixTokens - 2);
        Assert.True(health.PromptCacheBytes > 0);
        await AssertSameDistributionAsFreshAsync(again, SharedPrefix + " two");
    }

    [Fact]
    public async Task Without_a_prompt_cache_a_prompt_that_left_the_slot_is_evaluated_again()
    {
        var runner = await fixture.StartAsync(GeneratedModels.Random, parallel: 1, context: 1024);
        await RunnerCompletion.RunAsync(runner.Client, Request(SharedPrefix + " one", numPredict: 1));
        await RunnerCompletion.RunAsync(runner.Client, Request(string.Join(' ', Enumerable.Range(0, 100).Select(i => $"z{i}")), numPredict: 1));

        var again = await RunnerCompletion.RunAsync(runner.Client, Request(SharedPrefix + " two", numPredict: 1));

        Assert.True(again.Final.CachedTokens < 4, $"cached {again.Final.CachedTokens}");
    }

    private static CompletionRequest Request(string prompt, int numPredict) => new()
    {
        Prompt = prompt,
        NumPredict = numPredict,
        Logprobs = true,
        TopLogprobs = 5,
        Sampling = new SamplingParameters { Temperature = 0, RepeatPenalty = 1 },
    };

    /// <summary>The first token's top alternatives match what a fresh runner (nothing cached) computes for the same prompt.</summary>
    private async Task AssertSameDistributionAsFreshAsync(RunnerCompletion shared, string prompt)
    {
        var fresh = await fixture.StartAsync(GeneratedModels.Random, parallel: 1, context: 1024);
        var reference = await RunnerCompletion.RunAsync(fresh.Client, Request(prompt, numPredict: 1));
        Assert.Equal(0, reference.Final.CachedTokens);
        var expected = reference.FirstLogprob!.TopLogprobs!;
        var actual = shared.FirstLogprob!.TopLogprobs!;
        Assert.Equal(expected.Select(t => t.Token), actual.Select(t => t.Token));
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(Math.Abs(expected[i].Logprob - actual[i].Logprob) < 0.01, $"{expected[i].Token}: {expected[i].Logprob} vs {actual[i].Logprob}");
        }
    }

    private static async Task DrainAsync(IAsyncEnumerator<CompletionChunk> stream)
    {
        try
        {
            while (await stream.MoveNextAsync())
            {
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            await stream.DisposeAsync();
        }
    }
}
