using System.Globalization;
using Corral.Bench.Common;
using Corral.Bench.Runner;
using Corral.Llama;
using Corral.TestModels;

namespace Corral.Bench.Compare;

/// <summary>Sets up both servers, warms them, runs the chosen scenarios round by round and prints the tables.</summary>
internal static class CompareBench
{
    private const string LlamaServerName = "llama-server";
    private const string CorralName = "Corral";
    private const string PlainName = "plain llama.cpp";

    public static async Task RunAsync(CompareOptions options, Cleanup cleanup, CancellationToken cancellation)
    {
        var modelPath = BenchModel.Ensure(options.ModelPath);
        var embeddingPath = BenchEmbeddingModel.Ensure();
        LlamaBackend.EnsureInitialized();
        var corralSystemInfo = LlamaBackend.SystemInfo.Trim();
        List<int> banned;
        Plan plan;
        using (var vocabModel = LlamaModel.Load(modelPath, new LlamaModelLoadOptions { VocabOnly = true }, cancellationToken: cancellation))
        {
            var vocab = vocabModel.Vocab;
            banned = Enumerable.Range(0, vocab.Count).Where(t => vocab.IsEog(new LlamaToken(t))).ToList();
            // Everything the rounds send is made up front, with the model's own tokenizer.
            plan = Plan.Make(options, new PromptFactory(vocab));
        }

        Console.Error.WriteLine($"model {modelPath}, {banned.Count} end-of-generation tokens banned ({string.Join(", ", banned)})");
        var withLlama = options.Servers.Contains(CompareOptions.LlamaServer);
        var binary = withLlama ? options.LlamaServerBinary ?? await LlamaServerBuild.EnsureAsync(cancellation) : null;
        string[] gpuArguments = options.GpuLayers is { } ngl ? ["--n-gpu-layers", ngl.ToString(System.Globalization.CultureInfo.InvariantCulture)] : [];
        var llamaSystemInfo = binary is null ? "(not run)" : await LlamaServerProcess.ProbeSystemInfoAsync(binary, embeddingPath, options.Threads);
        var mixed = options.Scenarios.Contains(CompareOptions.MixedScenario);
        Console.Error.WriteLine("starting " + (withLlama ? "llama-server" + (mixed ? " (two processes: generate and embeddings)" : string.Empty) + " and " : string.Empty) + "corral serve ...");
        var llama = binary is null ? null : cleanup.Add(await LlamaServerProcess.StartAsync(binary, modelPath, options.Slots, options.ContextPerSlot, options.Threads, ["--alias", CorralServer.GenerateModel, .. gpuArguments]));
        var llamaEmbed = mixed && binary is not null
            ? cleanup.Add(await LlamaServerProcess.StartAsync(binary, embeddingPath, options.Slots, EmbeddingContext, options.Threads, ["--embeddings", "--alias", CorralServer.EmbeddingModel, .. gpuArguments]))
            : null;
        var corral = options.Servers.Contains(CompareOptions.Corral) ? cleanup.Add(await CorralServer.StartAsync(modelPath, embeddingPath, options)) : null;

        using var llamaHttp = llama?.CreateClient();
        using var llamaEmbedHttp = llamaEmbed?.CreateClient();
        using var corralHttp = corral?.CreateClient();
        var targets = new List<Target>();
        if (llama is not null)
        {
            targets.Add(new Target(LlamaServerName, new CompletionClient(llamaHttp!, CorralServer.GenerateModel, banned, ignoreEos: true),
                llamaEmbedHttp is null ? null : new EmbeddingClient(llamaEmbedHttp, CorralServer.EmbeddingModel),
                new CpuProbe(() => [(LlamaServerName, llama.ProcessId)])));
        }

        if (corral is not null)
        {
            targets.Add(new Target(CorralName, new CompletionClient(corralHttp!, CorralServer.GenerateModel, banned, ignoreEos: false),
                mixed ? new EmbeddingClient(corralHttp!, CorralServer.EmbeddingModel) : null,
                new CpuProbe(corral.Processes)));
        }

        foreach (var target in targets)
        {
            await WarmAsync(target, plan.Warmup, cancellation);
        }

        // The ceiling runs in this process, so it is loaded after the servers are up and warm (and idle while it runs).
        using var plain = options.Plain && plan.Rounds.Any(r => r.Clients.Count > 0) ? new PlainLlama(modelPath, options, banned) : null;
        if (plain is not null)
        {
            plain.Run(plan.Warmup.Select(p => (IReadOnlyList<string>)[p]).ToList(), 16);
            Console.Error.WriteLine($"{PlainName} warm: {plan.Warmup.Count} sequences of 16 tokens");
        }

        var header = Header(options, modelPath, llamaSystemInfo, llamaEmbed is not null, corralSystemInfo);
        Console.Error.WriteLine(header);
        var book = new ResultBook(LlamaServerName, CorralName, PlainName);
        try
        {
            for (var round = 0; round < options.Rounds; round++)
            {
                // Alternate who goes first, so a drift in background load (or in the machine's clock) during a round
                // does not always favour the same side.
                var order = round % 2 == 0 ? targets : Enumerable.Reverse(targets).ToList();
                Console.Error.WriteLine($"round {round + 1}/{options.Rounds} ({string.Join(" then ", order.Select(t => t.Name))}), load average {MachineLoad.Average()}");
                var work = plan.Rounds[round];
                foreach (var (clients, prompts) in work.Clients)
                {
                    var level = $"{clients} client{(clients == 1 ? string.Empty : "s")}";
                    if (plain is not null && round % 2 == 1)
                    {
                        Record(book, level, PlainName, plain.Run(prompts, options.Tokens));
                    }

                    foreach (var target in order)
                    {
                        Record(book, level, target.Name, await Scenarios.ClientsAsync(target, prompts, options.Tokens, cancellation));
                    }

                    if (plain is not null && round % 2 == 0)
                    {
                        Record(book, level, PlainName, plain.Run(prompts, options.Tokens));
                    }
                }

                if (work.Prefix.Count > 0)
                {
                    foreach (var target in order)
                    {
                        Record(book, $"shared {options.PrefixTokens}-token prefix (1 client)", target.Name,
                            await Scenarios.PrefixAsync(target, work.Prefix, PrefixTokensOut, options.Tokens, cancellation));
                    }
                }

                if (work.Mixed.Count > 0)
                {
                    foreach (var target in order)
                    {
                        Record(book, $"mixed: {options.MixedClients} streaming completions + {options.MixedClients} embedding loops, two models loaded", target.Name,
                            await Scenarios.MixedAsync(target, work.Mixed, plan.EmbeddingInputs, options.Tokens, cancellation));
                    }
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // What the servers said last is usually the reason (a crash, a refusal).
            Console.Error.WriteLine($"failed: {e.Message}");
            Console.Error.WriteLine("--- llama-server log (tail) ---\n" + Tail(llama?.Log ?? string.Empty));
            Console.Error.WriteLine("--- corral serve log (tail) ---\n" + Tail(corral?.Log ?? string.Empty));
            throw;
        }

        Console.WriteLine(header);
        Console.WriteLine(book.ToMarkdown());
        Console.WriteLine("tok/s and embeddings/s: higher is better (ratio > 1 favours Corral); ms: lower is better (ratio < 1 favours Corral).");
    }

    /// <summary>Context per slot of the embedding model: its training context (Corral caps num_ctx there too).</summary>
    private const int EmbeddingContext = 512;

    /// <summary>Tokens generated in the prefix scenario: only the time to the first one matters there.</summary>
    private const int PrefixTokensOut = 8;

    private static void Record(ResultBook book, string scenario, string contender, IReadOnlyList<(string Metric, double Value)> figures)
    {
        Console.Error.WriteLine($"  {scenario}, {contender}: " + string.Join(", ", figures.Select(f => $"{f.Metric} {f.Value.ToString("0.0", CultureInfo.InvariantCulture)}")) + $"; load average {MachineLoad.Average()}");
        foreach (var (metric, value) in figures)
        {
            book.Add(scenario, metric, contender, value);
        }
    }

    /// <summary>
    /// Pages the weights in, loads Corral's runners, and checks the request really produces the requested length
    /// (EOS banned) and, for embeddings, a vector.
    /// </summary>
    private static async Task WarmAsync(Target target, IReadOnlyList<string> prompts, CancellationToken cancellation)
    {
        const int WarmTokens = 16;
        var results = await Task.WhenAll(prompts.Select(p => target.Completions.StreamAsync(p, WarmTokens, cancellation)));
        if (results.Any(r => r.CompletionTokens != WarmTokens))
        {
            throw new InvalidOperationException($"{target.Name}: warm-up streams produced {string.Join(", ", results.Select(r => r.CompletionTokens))} tokens, not {WarmTokens} each");
        }

        // .NET compiles a method again, optimised, once it has run 30 times (per request, not only per token), on a
        // background thread: a few more waves (the prompts are cached now, so they are quick) and a quiet moment let that
        // happen here instead of inside the first measured level, which would otherwise pay for it in CPU.
        for (var wave = 1; wave < WarmWaves; wave++)
        {
            await Task.WhenAll(prompts.Select(p => target.Completions.StreamAsync(p, WarmTokens, cancellation)));
        }

        var length = target.Embeddings is { } embedder ? await embedder.EmbedAsync("warm up the embedding model", cancellation) : 0;
        var settled = await SettleAsync(target.Cpu, cancellation);
        Console.Error.WriteLine($"{target.Name} warm: {WarmWaves} × {results.Length} streams of {WarmTokens} tokens, prompt {results[0].PromptTokens} tokens" +
            (target.Embeddings is null ? string.Empty : $", embedding length {length}") + $"; idle after {settled.TotalSeconds:0.0} s");
    }

    private const int WarmWaves = 4;

    /// <summary>Waits (at most 30 s) until the side's processes use under 5 % of a core over a second.</summary>
    private static async Task<TimeSpan> SettleAsync(CpuProbe cpu, CancellationToken cancellation)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var before = cpu.Read().Values.Sum();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellation);
            var now = cpu.Read().Values.Sum();
            if (now - before < 0.05)
            {
                break;
            }

            before = now;
        }

        return clock.Elapsed;
    }

    private static string Header(CompareOptions options, string modelPath, string llamaSystemInfo, bool twoLlamaServers, string corralSystemInfo)
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        List<string> lines =
        [
            $"machine: {cpu}, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load average at start {MachineLoad.Average()}",
            $"llama.cpp {LlamaBackend.Version}; model {Path.GetFileName(modelPath)}; {options.Slots} slots × {options.ContextPerSlot} ctx, {options.Threads} threads on both sides",
            $"load: streamed /v1/completions, temperature 0, {options.PromptTokens}-token prompts never sent before, {options.Tokens} tokens out (EOS banned), {options.Rounds} rounds, order alternating",
            $"llama-server (built by eng/native.sh against Corral's prebuilt ggml; the CPU variant is chosen at run time by the same code): {llamaSystemInfo}",
            $"Corral: system_info: {corralSystemInfo}",
        ];
        if (twoLlamaServers)
        {
            lines.Add("mixed traffic: llama-server needs two processes (the second with --embeddings); Corral serves both models from one server, a runner each");
        }

        if (options.Note is { } note)
        {
            lines.Add($"note: {note}");
        }

        lines.Add(string.Empty);
        return string.Join('\n', lines);
    }

    private static string Tail(string log) => string.Join('\n', log.Split('\n').TakeLast(25));
}
