using System.Globalization;
using Corral.Testing;

namespace Corral.Bench.Soak;

/// <summary>
/// A real <c>corral serve</c> (Corral.Testing's <see cref="ServerProcess"/>) over the soak's store, set up so that both
/// models stay loaded for the whole run, keeping only the tail of its output and counting its warnings as they come.
/// Stopping it is what an operator does: SIGTERM, and a kill only if it does not exit in time.
/// </summary>
internal sealed class SoakServer : IAsyncDisposable
{
    private const int TailLines = 200;

    private readonly ServerProcess _process;
    private readonly SoakStore _store;
    private readonly ServerProblems _problems;

    private SoakServer(ServerProcess process, SoakStore store, ServerProblems problems)
    {
        _process = process;
        _store = store;
        _problems = problems;
    }

    public Uri BaseAddress => _process.BaseAddress;

    public int ProcessId => _process.ProcessId;

    /// <summary>The last lines the server wrote.</summary>
    public string LogTail => _process.Log;

    /// <summary>warn/fail/crit lines by kind, over the whole run.</summary>
    public IReadOnlyDictionary<string, int> Problems => _problems.Counts;

    public static async Task<SoakServer> StartAsync(SoakStore store, SoakOptions options)
    {
        var environment = new Dictionary<string, string>
        {
            ["OLLAMA_NUM_PARALLEL"] = options.Parallel.ToString(CultureInfo.InvariantCulture),
            ["OLLAMA_CONTEXT_LENGTH"] = options.ContextLength.ToString(CultureInfo.InvariantCulture),
            // Two models, both loaded all the time: room for both, and no expiry (an unload would be a runner ending, not a leak).
            ["OLLAMA_MAX_LOADED_MODELS"] = "2",
            ["OLLAMA_KEEP_ALIVE"] = "-1",
            // 64 clients against 2×parallel slots queue by design; the default queue (512) holds them, say so explicitly.
            ["OLLAMA_MAX_QUEUE"] = "512",
            ["OLLAMA_DEBUG"] = "",
        };
        var problems = new ServerProblems();
        var process = await ServerProcess.StartAsync(environment, store.ModelsPath, new ServerOutput(TailLines, problems.Observe)).ConfigureAwait(false);
        return new SoakServer(process, store, problems);
    }

    /// <summary>The server's runner processes now, each with the model it serves (from its weights blob on the command line).</summary>
    public IReadOnlyList<RunnerProcessInfo> Runners()
    {
        var runners = new List<RunnerProcessInfo>();
        foreach (var pid in _process.RunnerProcessIds())
        {
            var model = ProcessProbe.CommandLine(pid).Select(Path.GetFileName).FirstOrDefault(a => a is not null && _store.ModelByBlob.ContainsKey(a)) is { } blob
                ? _store.ModelByBlob[blob]
                : "?";
            runners.Add(new RunnerProcessInfo(pid, model));
        }

        return runners;
    }

    /// <summary>SIGTERM, then SIGKILL (with its children) after <paramref name="grace"/>; returns how it ended.</summary>
    public Task<ServerStop> StopAsync(TimeSpan grace) => _process.StopAsync(grace);

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
