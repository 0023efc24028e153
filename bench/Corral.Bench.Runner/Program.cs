using Corral.Bench.Runner;
using Corral.Llama;
using Corral.Runner.Client;
using Corral.Runner.Hosting;

// Runner throughput vs a plain in-process llama.cpp loop on the ~1B Q4_K_M model.
//   dotnet run -c Release --project bench/Corral.Bench.Runner [-- MODEL.gguf] [--tokens 128] [--threads 2] [--skip-throughput] [--skip-server] [--skip-grammar] [--skip-determinism]
// The throughput table also runs the same streams through a real `corral serve` (/v1/completions over HTTP).
//   ... -- --speculative [--tokens 128] [--threads 2] [--rounds 3]: only the speculative decoding table (SpeculativeBench).
if (args.Contains("--batch-cost"))
{
    BatchCost.Print(Path.Combine(Path.GetTempPath(), "corral-bench", "heavy-successor.gguf"), ArgInt("--threads", 2));
    return;
}

if (args.Contains("--speculative"))
{
    await SpeculativeBench.RunAsync(ArgInt("--tokens", 128), ArgInt("--threads", 2), ArgInt("--rounds", 3));
    return;
}

var modelArg = args.FirstOrDefault(a => a.EndsWith(".gguf", StringComparison.Ordinal));
var tokens = ArgInt("--tokens", 128);
var threads = ArgInt("--threads", 2);
int[] concurrencies = [1, 2, 4, 8];
const int ContextPerSequence = 512;

var modelPath = BenchModel.Ensure(modelArg);
LlamaBackend.EnsureInitialized();
Console.WriteLine($"model: {modelPath} ({new FileInfo(modelPath).Length / 1048576} MiB), threads {threads}, {tokens} tokens per stream");
Console.WriteLine(LlamaBackend.SystemInfo);

using var model = LlamaModel.Load(modelPath);
var eog = new[] { model.Vocab.Eos, model.Vocab.Eot }.Where(t => t is not null).Select(t => t!.Value).Distinct().ToArray();
// End-of-generation is banned on both sides so every stream produces exactly `tokens` tokens.
const float BanBias = -1000f;
const int Rounds = 2;
var bans = eog.Select(t => new LlamaLogitBias(t, BanBias)).ToList();
string Prompt(int i) => $"Story {i}: {i * 7919 % 1000}.";

// Both sides are set up first and measured back to back at each concurrency (best of two rounds),
// so background load on the machine affects them alike.
var plain = new PlainLoop(model, threads, ContextPerSequence, bans);
plain.Run([Prompt(99)], 8); // warm-up: page the weights in
Environment.SetEnvironmentVariable("CORRAL_RUNNER_DLL", Path.Combine(AppContext.BaseDirectory, "corral.dll"));
await using var runner = await RunnerProcess.StartAsync(new RunnerLaunchOptions
{
    ModelPath = modelPath,
    SocketPath = string.Empty,
    Parallel = concurrencies.Max(),
    ContextPerSlot = ContextPerSequence,
    Threads = threads,
}, progress: null, CancellationToken.None);
var load = new RunnerLoad(runner.Client, eog.ToDictionary(t => t.Value, _ => BanBias));
await load.RunAsync([Prompt(98)], 8);

// The whole stack (HTTP, scheduler, OpenAI adapter, SSE) with its own runner of the same shape.
await using var server = args.Contains("--skip-server") || args.Contains("--skip-throughput")
    ? null
    : await ServerLoad.StartAsync(modelPath, concurrencies.Max(), ContextPerSequence, threads, eog.Select(t => t.Value));
if (server is not null)
{
    await server.RunAsync([Prompt(97)], 8); // loads the model
}

Console.WriteLine();
Console.WriteLine("| streams | plain tok/s | runner tok/s | server tok/s | runner/plain | server/runner | plain TTFT ms | runner TTFT ms | server TTFT ms |");
Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
var round = 0;
foreach (var c in args.Contains("--skip-throughput") ? [] : concurrencies)
{
    (double Tps, double Ttft) bestPlain = (0, double.MaxValue), bestRunner = (0, double.MaxValue), bestServer = (0, double.MaxValue);
    for (var r = 0; r < Rounds; r++)
    {
        // Fresh prompts each time so the prefix cache does not flatter the runner.
        var prompts = Enumerable.Range(1000 * ++round, c).Select(Prompt).ToList();
        var p = plain.Run(prompts, tokens);
        bestPlain = (Math.Max(bestPlain.Tps, p.TokensPerSecond), Math.Min(bestPlain.Ttft, p.MeanTtftMs));
        prompts = Enumerable.Range(1000 * ++round, c).Select(Prompt).ToList();
        var q = await load.RunAsync(prompts, tokens);
        bestRunner = (Math.Max(bestRunner.Tps, q.TokensPerSecond), Math.Min(bestRunner.Ttft, q.MeanTtftMs));
        if (server is not null)
        {
            prompts = Enumerable.Range(1000 * ++round, c).Select(Prompt).ToList();
            var s = await server.RunAsync(prompts, tokens);
            bestServer = (Math.Max(bestServer.Tps, s.TokensPerSecond), Math.Min(bestServer.Ttft, s.MeanTtftMs));
        }
    }

    var serverTps = server is null ? "-" : bestServer.Tps.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
    var serverShare = server is null ? "-" : (bestServer.Tps / bestRunner.Tps).ToString("P1", System.Globalization.CultureInfo.InvariantCulture);
    var serverTtft = server is null ? "-" : bestServer.Ttft.ToString("0", System.Globalization.CultureInfo.InvariantCulture);
    Console.WriteLine($"| {c} | {bestPlain.Tps:0.00} | {bestRunner.Tps:0.00} | {serverTps} | {bestRunner.Tps / bestPlain.Tps:P1} | {serverShare} | {bestPlain.Ttft:0} | {bestRunner.Ttft:0} | {serverTtft} |");
}

model.Dispose();

if (!args.Contains("--skip-grammar"))
{
    // Structured outputs: the same single stream with and without a JSON Schema grammar (issue 6: at most 15% slower).
    var schema = """{"type":"object","properties":{"title":{"type":"string","maxLength":4000},"tags":{"type":"array","items":{"type":"string"}}},"required":["title","tags"]}""";
    var gbnf = Corral.Llama.Grammar.JsonSchemaGrammar.Convert(schema);
    (double Tps, int N) free = (0, 0), constrained = (0, 0);
    for (var r = 0; r < Rounds; r++)
    {
        var a = await load.DecodeRateAsync(Prompt(7000 + r), tokens, null);
        var b = await load.DecodeRateAsync(Prompt(7100 + r), tokens, gbnf);
        free = a.TokensPerSecond > free.Tps ? a : free;
        constrained = b.TokensPerSecond > constrained.Tps ? b : constrained;
    }

    Console.WriteLine();
    Console.WriteLine($"grammar: {free.Tps:0.00} tok/s without a schema ({free.N} tokens), {constrained.Tps:0.00} tok/s with one ({constrained.N} tokens): {1 - (constrained.Tps / free.Tps):P1} slower");
}

if (!args.Contains("--skip-determinism"))
{
    // 20 seeded requests alone, then the same 20 four at a time: how many texts differ?
    const int Requests = 20, DetTokens = 32;
    var alone = new string[Requests];
    for (var i = 0; i < Requests; i++)
    {
        alone[i] = await load.GenerateAsync(Prompt(500 + i), DetTokens, seed: 1000 + i);
    }

    // Alone a second time: separates state leaking between requests (a bug) from batch-shape numerics.
    var again = new string[Requests];
    for (var i = 0; i < Requests; i++)
    {
        again[i] = await load.GenerateAsync(Prompt(500 + i), DetTokens, seed: 1000 + i);
    }

    var together = new string[Requests];
    for (var i = 0; i < Requests; i += 4)
    {
        var group = await Task.WhenAll(Enumerable.Range(i, 4).Select(j => load.GenerateAsync(Prompt(500 + j), DetTokens, seed: 1000 + j)));
        group.CopyTo(together, i);
    }

    var differing = Enumerable.Range(0, Requests).Count(i => alone[i] != together[i]);
    var differingAlone = Enumerable.Range(0, Requests).Count(i => alone[i] != again[i]);
    var firstDiff = Enumerable.Range(0, Requests).Where(i => alone[i] != together[i])
        .Select(i => alone[i].Zip(together[i]).TakeWhile(p => p.First == p.Second).Count()).DefaultIfEmpty(-1).Average();
    Console.WriteLine();
    Console.WriteLine($"determinism: {differingAlone} of {Requests} differ between two runs alone; mean common prefix of differing pairs {firstDiff:0} chars");
    Console.WriteLine($"determinism: {differing} of {Requests} seeded outputs differ between running alone and 4 at a time");
}

int ArgInt(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
}
