using System.Diagnostics;
using Corral.Bench.Compare;

namespace Corral.Bench.Gateway;

/// <summary>Concurrent streaming clients, each sending its prompts one after another; aggregate tok/s and TTFT over all.</summary>
internal static class LoadRun
{
    public static async Task<LoadFigures> RunAsync(CompletionClient client, IReadOnlyList<IReadOnlyList<string>> promptsPerClient, int tokens, CancellationToken cancellation)
    {
        var started = Stopwatch.GetTimestamp();
        var perClient = await Task.WhenAll(promptsPerClient.Select(async prompts =>
        {
            var results = new List<RequestResult>();
            foreach (var prompt in prompts)
            {
                results.Add(await client.StreamAsync(prompt, tokens, cancellation).ConfigureAwait(false));
            }

            return results;
        })).ConfigureAwait(false);
        var wall = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var all = perClient.SelectMany(r => r).ToList();
        return new LoadFigures(
            all.Count,
            all.Sum(r => r.CompletionTokens) / wall,
            Statistics.Median(all.Select(r => r.TtftMs)),
            Statistics.Quantile(all.Select(r => r.TtftMs), 0.9),
            Statistics.Median(all.Select(r => r.LatencyMs)),
            wall);
    }
}
