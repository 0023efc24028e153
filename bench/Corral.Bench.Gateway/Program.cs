// Issue 21: the same streamed load against one `corral serve` alone, the gateway in front of that one server, and the
// gateway in front of N servers (each with its own store and runner), on the ~1B bench model; prints aggregate tok/s and
// TTFT. A bench, never a test. On one machine the N servers share its cores: with N × threads above the core count they
// compete, and the figure says what the gateway costs and how it spreads load, not what N machines would give.
//
//   dotnet run -c Release --project bench/Corral.Bench.Gateway -- [--backends 3] [--threads 1] [--slots 4] [--ctx 512]
//       [--tokens 24] [--prompt-tokens 32] [--clients 6] [--requests 2] [--model PATH.gguf]
using Corral.Bench.Common;
using Corral.Bench.Gateway;

GatewayBenchOptions options;
try
{
    options = GatewayBenchOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

return await BenchMain.RunAsync(async (cleanup, cancellation) =>
{
    await GatewayBench.RunAsync(options, cleanup, cancellation);
    return 0;
});
