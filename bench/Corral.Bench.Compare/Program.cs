// Side by side with llama-server (issue 22): the same load against llama-server and a real `corral serve` on the
// same GGUF (the ~1B Llama-3.2-shaped Q4_K_M bench model), both with 8 slots and 2 threads, measured back to back
// in several rounds; prints Markdown tables (median and min–max over rounds, Corral / llama-server).
//
//   dotnet run -c Release --project bench/Corral.Bench.Compare -- [--rounds 3] [--scenarios clients,prefix,mixed]
//       [--model PATH.gguf] [--threads 2] [--slots 8] [--ctx 1024] [--tokens 128] [--clients 1,4,8] [--requests N]
//
// First use generates the bench model (/tmp/corral-bench) and builds llama-server from the pinned llama.cpp source
// (`eng/native.sh llama-server`, 10-20 min on 2 cores, cached beside the libraries). A bench, never a test: on a
// shared or noisy machine the spread column says how much to trust a ratio.
using Corral.Bench.Common;
using Corral.Bench.Compare;

CompareOptions options;
try
{
    options = CompareOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

return await BenchMain.RunAsync(async (cleanup, cancellation) =>
{
    await CompareBench.RunAsync(options, cleanup, cancellation);
    return 0;
});
