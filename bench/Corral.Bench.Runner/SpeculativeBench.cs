using System.Diagnostics;
using System.Globalization;
using Corral.Runner.Client;
using Corral.Runner.Hosting;
using Corral.Runner.Protocol;
using Corral.TestModels;

namespace Corral.Bench.Runner;

/// <summary>
/// Speculative decoding (issue 18): tokens/s of one runner with no draft, a draft that always agrees (the plain
/// successor model drafting for the heavy successor: same greedy chain at a fraction of the cost) and a draft that
/// never agrees (the random-weights model, same vocabulary, other choices: the cost of a bad draft), at 1 and 4
/// clients. Greedy, digits prompts: the successor chain never ends, so every stream makes exactly the tokens asked.
/// </summary>
internal static class SpeculativeBench
{
    public static async Task RunAsync(int tokens, int threads, int rounds)
    {
        var folder = Path.Combine(Path.GetTempPath(), "corral-bench");
        Directory.CreateDirectory(folder);
        var target = Ensure(Path.Combine(folder, "heavy-successor.gguf"), p => TestModelWriter.WriteHeavySuccessor(p));
        var agreeing = Ensure(Path.Combine(folder, "successor.gguf"), TestModelWriter.WriteSuccessor);
        var disagreeing = Ensure(Path.Combine(folder, "random.gguf"), p => TestModelWriter.WriteRandom(p));
        Console.WriteLine($"target: heavy successor ({new FileInfo(target).Length / 1048576} MiB F16), {tokens} tokens per stream, threads {threads}, draft_num_predict 4, best of {rounds} rounds");
        Console.WriteLine();
        Console.WriteLine("| draft | clients | tok/s | vs no draft | accepted/drafted |");
        Console.WriteLine("| --- | --- | --- | --- | --- |");
        // All three runners are started first and measured back to back, round by round, so that load from elsewhere on
        // the machine falls on them alike.
        Environment.SetEnvironmentVariable("CORRAL_RUNNER_DLL", Path.Combine(AppContext.BaseDirectory, "corral.dll"));
        var configurations = new (string Label, string? Draft)[] { ("none", null), ("agrees (successor)", agreeing), ("never agrees (random)", disagreeing) };
        var runners = new List<RunnerProcess>();
        try
        {
            foreach (var (_, draft) in configurations)
            {
                var runner = await RunnerProcess.StartAsync(new RunnerLaunchOptions
                {
                    ModelPath = target,
                    DraftModelPath = draft,
                    SocketPath = string.Empty,
                    Parallel = 4,
                    ContextPerSlot = 512,
                    Threads = threads,
                }, progress: null, CancellationToken.None);
                runners.Add(runner);
                await RunAsync(runner.Client, 1, 8, 90); // warm-up: page the weights in
            }

            foreach (var clients in new[] { 1, 4 })
            {
                var best = new double[configurations.Length];
                var before = new RunnerHealth[configurations.Length];
                for (var i = 0; i < configurations.Length; i++)
                {
                    before[i] = await runners[i].Client.HealthAsync(CancellationToken.None);
                }

                for (var round = 0; round < rounds; round++)
                {
                    for (var i = 0; i < configurations.Length; i++)
                    {
                        best[i] = Math.Max(best[i], await RunAsync(runners[i].Client, clients, tokens, (round * 10) + clients));
                    }
                }

                for (var i = 0; i < configurations.Length; i++)
                {
                    var after = await runners[i].Client.HealthAsync(CancellationToken.None);
                    var drafted = after.DraftTokensDrafted - before[i].DraftTokensDrafted;
                    var accepted = after.DraftTokensAccepted - before[i].DraftTokensAccepted;
                    var rate = drafted == 0 ? "-" : $"{accepted}/{drafted} ({(double)accepted / drafted:P0})";
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {configurations[i].Label} | {clients} | {best[i]:0.0} | {best[i] / best[0]:0.00}x | {rate} |"));
                }
            }
        }
        finally
        {
            foreach (var runner in runners)
            {
                if (runner.StderrTail.Contains("decode", StringComparison.OrdinalIgnoreCase))
                {
                    Console.WriteLine($"runner stderr: {runner.StderrTail}");
                }

                await runner.DisposeAsync();
            }
        }
    }

    /// <summary>Runs <paramref name="clients"/> greedy streams at once; returns generated tokens per wall-clock second.</summary>
    private static async Task<double> RunAsync(RunnerClient client, int clients, int tokens, int salt)
    {
        var clock = Stopwatch.StartNew();
        var counts = await Task.WhenAll(Enumerable.Range(0, clients).Select(async i =>
        {
            // Fresh prompts (no prefix-cache flattery); each ends in a digit, so the chain cycles 0-9 and never ends.
            var request = new CompletionRequest
            {
                Prompt = $"stream {salt} {i} count {(salt + i) % 10}",
                NumPredict = tokens,
                DraftNumPredict = 4,
                Sampling = new SamplingParameters { Temperature = 0, RepeatPenalty = 1 },
            };
            var count = 0;
            await foreach (var chunk in client.CompleteAsync(request, CancellationToken.None))
            {
                count = chunk.Done ? chunk.EvalCount : count;
            }

            return count;
        }));
        return counts.Sum() / clock.Elapsed.TotalSeconds;
    }

    private static string Ensure(string path, Action<string> write)
    {
        if (!File.Exists(path))
        {
            write(path + ".tmp");
            File.Move(path + ".tmp", path);
        }

        return path;
    }
}
