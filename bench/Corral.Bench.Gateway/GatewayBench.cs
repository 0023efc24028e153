using System.Globalization;
using Corral.Bench.Common;
using Corral.Bench.Compare;
using Corral.Bench.Runner;
using Corral.Llama;
using Corral.TestModels;

namespace Corral.Bench.Gateway;

/// <summary>Starts the servers and gateways, warms every runner, runs the three scenarios and prints the table.</summary>
internal static class GatewayBench
{
    public static async Task RunAsync(GatewayBenchOptions options, Cleanup cleanup, CancellationToken cancellation)
    {
        var modelPath = BenchModel.Ensure(options.ModelPath);
        var embeddingPath = BenchEmbeddingModel.Ensure();
        LlamaBackend.EnsureInitialized();
        List<int> banned;
        PromptFactory prompts;
        var vocabModel = LlamaModel.Load(modelPath, new LlamaModelLoadOptions { VocabOnly = true }, cancellationToken: cancellation);
        banned = Enumerable.Range(0, vocabModel.Vocab.Count).Where(t => vocabModel.Vocab.IsEog(new LlamaToken(t))).ToList();
        prompts = new PromptFactory(vocabModel.Vocab);

        // The compare bench's server: the model seeded with {{ .Prompt }} and the thread count, keep_alive forever.
        var serverOptions = Corral.Bench.Compare.CompareOptions.Parse([]) with { Threads = options.Threads, Slots = options.Slots, ContextPerSlot = options.ContextPerSlot };
        Console.Error.WriteLine($"starting {options.Backends} corral serve processes ...");
        var servers = new List<CorralServer>();
        for (var i = 0; i < options.Backends; i++)
        {
            servers.Add(cleanup.Add(await CorralServer.StartAsync(modelPath, embeddingPath, serverOptions)));
        }

        var https = servers.Select(s => s.CreateClient()).ToList();
        var clients = https.Select(h => new CompletionClient(h, CorralServer.GenerateModel, banned, ignoreEos: false)).ToList();
        // Warm every slot of every runner (weights paged in, threads up), so the first measured scenario is not the one
        // that pays for it.
        await Task.WhenAll(clients.SelectMany(c => Enumerable.Range(0, options.Slots).Select(_ => c.StreamAsync(prompts.Fresh(options.PromptTokens), 8, cancellation))));
        Console.Error.WriteLine("every runner loaded and warm");

        var named = servers.Select((s, i) => ($"b{i}", s.BaseAddress)).ToList();
        var single = cleanup.Add(await InProcessGateway.StartAsync(named.Take(1)));
        var fleet = cleanup.Add(await InProcessGateway.StartAsync(named));
        using var singleHttp = BenchHttp.Create(single.BaseAddress);
        using var fleetHttp = BenchHttp.Create(fleet.BaseAddress);

        IReadOnlyList<IReadOnlyList<string>> Work() =>
            Enumerable.Range(0, options.Clients).Select(_ => (IReadOnlyList<string>)Enumerable.Range(0, options.RequestsPerClient).Select(_ => prompts.Fresh(options.PromptTokens)).ToList()).ToList();

        var scenarios = new (string Name, CompletionClient Client)[]
        {
            ("1 backend, direct", clients[0]),
            ("1 backend, through the gateway", new CompletionClient(singleHttp, CorralServer.GenerateModel, banned, ignoreEos: false)),
            ($"{options.Backends} backends, through the gateway", new CompletionClient(fleetHttp, CorralServer.GenerateModel, banned, ignoreEos: false)),
        };
        var rows = scenarios.Select(s => (s.Name, Figures: new List<LoadFigures>())).ToList();
        for (var round = 0; round < options.Rounds; round++)
        {
            // Rotate who goes first, so a drift in the machine's background load does not always favour the same one.
            for (var k = 0; k < scenarios.Length; k++)
            {
                var index = (k + round) % scenarios.Length;
                var (name, client) = scenarios[index];

                // Let the servers finish the last scenario and the gateways' view of them catch up (it is a refresh old).
                await Task.Delay(TimeSpan.FromSeconds(2), cancellation);
                Console.Error.WriteLine($"round {round + 1}, {name}: {options.Clients} clients × {options.RequestsPerClient} requests, load average {MachineLoad.Average()}");
                var figures = await LoadRun.RunAsync(client, Work(), options.Tokens, cancellation);
                Console.Error.WriteLine($"  {figures.TokensPerSecond:0.0} tok/s, TTFT median {figures.TtftMedianMs:0} ms");
                rows[index].Figures.Add(figures);
            }
        }

        var spread = (await fleet.MetricsAsync()).Split('\n').Where(l => l.StartsWith("corral_gateway_requests_total{", StringComparison.Ordinal)).ToList();
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load average {MachineLoad.Average()}");
        Console.WriteLine($"model {Path.GetFileName(modelPath)}; each backend: {options.Slots} slots × {options.ContextPerSlot} ctx, {options.Threads} thread(s); " +
            $"{options.Clients} streaming clients × {options.RequestsPerClient} requests, {options.PromptTokens}-token fresh prompts, {options.Tokens} tokens out (EOS banned)");
        Console.WriteLine();
        Console.WriteLine($"medians over {options.Rounds} round(s), scenarios in rotated order each round");
        Console.WriteLine();
        Console.WriteLine("| scenario | requests | aggregate tok/s | TTFT median ms | TTFT p90 ms | latency median ms | wall s |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (name, all) in rows)
        {
            double M(Func<LoadFigures, double> value) => Statistics.Median(all.Select(value));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {all.Sum(f => f.Requests)} | {M(f => f.TokensPerSecond):0.0} | {M(f => f.TtftMedianMs):0} | {M(f => f.TtftP90Ms):0} | {M(f => f.LatencyMedianMs):0} | {M(f => f.WallSeconds):0.0} |"));
        }

        Console.WriteLine();
        Console.WriteLine("requests per backend through the gateway: " + string.Join(", ", spread.Select(l => l.Replace("corral_gateway_requests_total", string.Empty, StringComparison.Ordinal))));
        vocabModel.Dispose();
    }
}
