// Soak (issue 16): N clients (default 64) for D (default 10 min) of mixed traffic against a real `corral serve` with two
// models loaded: generate and chat streamed and not, embed, /v1 chat and embeddings, tags/ps/show, and clients that
// drop a stream mid-way. Reports errors by kind, latency p50/p99 per route, and the RSS and open fds of the server and
// each runner at start and end (and every 30 s), then a verdict; exits 1 unless every check passed.
//
//   dotnet run -c Release --project bench/Corral.Bench.Soak -- [--clients 64] [--duration 10m] [--warmup 60s]
//       [--chat-model PATH.gguf --embed-model PATH.gguf] [--parallel 4] [--ctx 512] [--sample-every 30s]
//       [--request-timeout 120s] [--seed 16]
//
// Its own temp store (removed at the end, also on Ctrl-C); tiny generated models unless given. A bench, never a test.
using Corral.Bench.Common;
using Corral.Bench.Soak;

SoakOptions options;
try
{
    options = SoakOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

return await BenchMain.RunAsync(async (cleanup, cancellation) =>
{
    var outcome = await SoakRun.RunAsync(options, cleanup, cancellation);
    var checks = SoakVerdict.Checks(outcome);
    var commandLine = "dotnet run -c Release --project bench/Corral.Bench.Soak --" + string.Concat(args.Select(a => " " + a));
    Console.WriteLine(SoakReport.Write(outcome, checks, commandLine));
    return checks.All(c => c.Passed) ? 0 : 1;
});
