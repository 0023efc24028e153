using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Corral.Testing;

namespace Corral.Bench.Soak;

/// <summary>
/// A real <c>corral serve</c> (corral.dll beside the soak, through <c>dotnet</c>) on a free loopback port over the
/// soak's store, set up so that both models stay loaded for the whole run. Stopping it is what an operator does:
/// SIGTERM, and a kill only if it does not exit in time.
/// </summary>
internal sealed partial class SoakServer : IAsyncDisposable
{
    private const int SigTerm = 15;

    private readonly Process _process;
    private readonly SoakStore _store;

    private SoakServer(Process process, ServerLog log, Uri baseAddress, SoakStore store)
    {
        _process = process;
        Log = log;
        BaseAddress = baseAddress;
        _store = store;
    }

    public Uri BaseAddress { get; }

    public int ProcessId => _process.Id;

    public ServerLog Log { get; }

    public bool HasExited => _process.HasExited;

    public static async Task<SoakServer> StartAsync(SoakStore store, SoakOptions options)
    {
        var port = ChildProcessReadiness.FreeLoopbackPort();
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(CorralPaths.CorralDll);
        info.ArgumentList.Add("serve");
        info.Environment["OLLAMA_HOST"] = $"127.0.0.1:{port}";
        info.Environment["OLLAMA_MODELS"] = store.ModelsPath;
        info.Environment["OLLAMA_NUM_PARALLEL"] = options.Parallel.ToString(CultureInfo.InvariantCulture);
        info.Environment["OLLAMA_CONTEXT_LENGTH"] = options.ContextLength.ToString(CultureInfo.InvariantCulture);
        // Two models, both loaded all the time: room for both, and no expiry (an unload would be a runner ending, not a leak).
        info.Environment["OLLAMA_MAX_LOADED_MODELS"] = "2";
        info.Environment["OLLAMA_KEEP_ALIVE"] = "-1";
        // 64 clients against 2×parallel slots queue by design; the default queue (512) holds them, say so explicitly.
        info.Environment["OLLAMA_MAX_QUEUE"] = "512";
        info.Environment.Remove("CORRAL_RUNNER_DLL");
        info.Environment.Remove("OLLAMA_DEBUG");

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start corral serve");
        var server = new SoakServer(process, ServerLog.Capture(process), new Uri($"http://127.0.0.1:{port}/"), store);
        try
        {
            await ChildProcessReadiness.WaitForHttpOkAsync(process, server.BaseAddress, "corral serve", TimeSpan.FromSeconds(60), () => server.Log.Tail).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return server;
    }

    /// <summary>The server's runner processes now, each with the model it serves (from its weights blob on the command line).</summary>
    public IReadOnlyList<RunnerProcessInfo> Runners()
    {
        var runners = new List<RunnerProcessInfo>();
        foreach (var pid in ProcessProbe.Children(_process.Id))
        {
            var args = ProcessProbe.CommandLine(pid);
            if (!args.Contains("runner"))
            {
                continue;
            }

            var model = args.Select(Path.GetFileName).FirstOrDefault(a => a is not null && _store.ModelByBlob.ContainsKey(a)) is { } blob
                ? _store.ModelByBlob[blob]
                : "?";
            runners.Add(new RunnerProcessInfo(pid, model));
        }

        return runners;
    }

    /// <summary>SIGTERM, then SIGKILL (with its children) after <paramref name="grace"/>; returns how it ended.</summary>
    public async Task<ServerStop> StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return new ServerStop(false, TimeSpan.Zero, _process.ExitCode, Killed: false);
        }

        var started = Stopwatch.GetTimestamp();
        _ = Kill(_process.Id, SigTerm);
        using var wait = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
            return new ServerStop(true, Stopwatch.GetElapsedTime(started), _process.ExitCode, Killed: false);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
            return new ServerStop(true, Stopwatch.GetElapsedTime(started), _process.ExitCode, Killed: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await StopAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }

        _process.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
