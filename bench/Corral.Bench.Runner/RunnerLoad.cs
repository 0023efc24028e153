using System.Diagnostics;
using System.Text;
using Corral.Runner.Client;
using Corral.Runner.Protocol;

namespace Corral.Bench.Runner;

/// <summary>The same work through a real <c>corral runner</c> process over its socket protocol.</summary>
internal sealed class RunnerLoad(RunnerClient client, Dictionary<int, float> bans)
{
    public async Task<(double TokensPerSecond, double MeanTtftMs, int Generated)> RunAsync(IReadOnlyList<string> prompts, int tokens)
    {
        var clock = Stopwatch.StartNew();
        var results = await Task.WhenAll(prompts.Select(async prompt =>
        {
            double first = -1;
            var count = 0;
            await foreach (var chunk in client.CompleteAsync(Request(prompt, tokens, temperature: 0, seed: 0), CancellationToken.None))
            {
                if (first < 0)
                {
                    first = clock.Elapsed.TotalMilliseconds;
                }

                count = chunk.Done ? chunk.EvalCount : count;
            }

            return (first, count);
        }));
        var seconds = clock.Elapsed.TotalSeconds;
        var generated = results.Sum(r => r.count);
        return (generated / seconds, results.Average(r => r.first), generated);
    }

    public async Task<string> GenerateAsync(string prompt, int tokens, long seed)
    {
        var text = new StringBuilder();
        await foreach (var chunk in client.CompleteAsync(Request(prompt, tokens, temperature: 0.8f, seed), CancellationToken.None))
        {
            text.Append(chunk.Content);
        }

        return text.ToString();
    }

    /// <summary>Decode speed of one stream as the runner measures it (eval_count / eval_duration), optionally under a grammar.</summary>
    public async Task<(double TokensPerSecond, int Generated)> DecodeRateAsync(string prompt, int tokens, string? grammar)
    {
        var request = Request(prompt, tokens, temperature: 0.8f, seed: 7);
        request.Sampling.Grammar = grammar;
        await foreach (var chunk in client.CompleteAsync(request, CancellationToken.None))
        {
            if (chunk.Done)
            {
                return (chunk.EvalCount / (chunk.EvalDuration / 1e9), chunk.EvalCount);
            }
        }

        throw new InvalidOperationException("no final chunk");
    }

    private CompletionRequest Request(string prompt, int tokens, float temperature, long seed) => new()
    {
        Prompt = prompt,
        NumPredict = tokens,
        Sampling = new SamplingParameters
        {
            Temperature = temperature,
            Seed = seed,
            RepeatPenalty = 1.0f,
            LogitBias = bans,
        },
    };
}
