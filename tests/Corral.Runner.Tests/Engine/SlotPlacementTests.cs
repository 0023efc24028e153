using Corral.Runner.Client;
using Corral.Runner.Protocol;
using Corral.Testing;

namespace Corral.Runner.Tests.Engine;

/// <summary>
/// Busy slots stay consecutive through a real runner: llama.cpp computes a batch whose sequences skip an id as one graph
/// per run of consecutive ids, so every step over slots 0, 2 and 3 would cost two graphs. A request that ends in the
/// middle leaves a gap; the last request is moved into it (its KV copied), and its output must not change.
/// </summary>
public sealed class SlotPlacementTests(RunnerFixture fixture) : IClassFixture<RunnerFixture>
{
    private static readonly string[] Prompts = ["one two three", "four five", "six seven eight nine", "ten eleven"];

    [Fact]
    public async Task A_request_ending_between_others_leaves_no_split_steps_and_the_moved_request_writes_the_same_text()
    {
        const int tokens = 1500;
        var runner = await fixture.StartAsync(GeneratedModels.Random, parallel: 8, context: 2048);
        using var middle = new CancellationTokenSource();
        var bias = await RunnerCompletion.EndOfGenerationBannedAsync(runner.Client);
        var streams = new List<IAsyncEnumerator<CompletionChunk>>();
        var texts = new List<System.Text.StringBuilder>();
        try
        {
            // One after another, each generating before the next starts: slots 0, 1, 2, 3.
            for (var i = 0; i < Prompts.Length; i++)
            {
                var token = i == 1 ? middle.Token : CancellationToken.None;
                var stream = runner.Client.CompleteAsync(Request(Prompts[i], tokens, bias), token).GetAsyncEnumerator(token);
                Assert.True(await stream.MoveNextAsync());
                streams.Add(stream);
                texts.Add(new System.Text.StringBuilder(stream.Current.Content));
            }

            // The client of slot 1 goes away: its slot frees between slots 0 and 2.
            await middle.CancelAsync();
            await DisposeQuietlyAsync(streams[1]); // closes its connection: the runner sees the client gone
            foreach (var i in new[] { 0, 2, 3 })
            {
                while (await streams[i].MoveNextAsync())
                {
                    if (!streams[i].Current.Done)
                    {
                        texts[i].Append(streams[i].Current.Content);
                    }
                }
            }
        }
        finally
        {
            foreach (var stream in streams)
            {
                await DisposeQuietlyAsync(stream);
            }
        }

        var health = await runner.Client.HealthAsync(CancellationToken.None);
        Assert.True(health.DecodeSteps >= tokens, $"{health.DecodeSteps} decode steps"); // the three ran long after the gap opened
        Assert.Equal(0, health.SplitDecodeSteps);

        var fresh = await fixture.StartAsync(GeneratedModels.Random, parallel: 1, context: 2048);
        foreach (var i in new[] { 0, 2, 3 })
        {
            var alone = await RunnerCompletion.RunAsync(fresh.Client, Request(Prompts[i], tokens, bias));
            Assert.Equal(alone.Text, texts[i].ToString());
        }
    }

    private static CompletionRequest Request(string prompt, int tokens, Dictionary<int, float> bias) => new()
    {
        Prompt = prompt,
        NumPredict = tokens,
        Sampling = new SamplingParameters { Temperature = 0, LogitBias = bias },
    };

    private static async Task DisposeQuietlyAsync(IAsyncEnumerator<CompletionChunk> stream)
    {
        try
        {
            await stream.DisposeAsync();
        }
        catch (OperationCanceledException)
        {
        }
    }
}
