using System.Diagnostics;

namespace Corral.Testing;

/// <summary>
/// A real <c>corral serve</c> process on a free loopback port with its own model store, for the tests that are about
/// the process itself (signals, exit codes, its output, its resident memory, a crash); every other end-to-end test
/// uses <see cref="InProcessServer"/>. Dispose stops it (and its runners).
/// </summary>
public sealed class ServerProcess : IServerUnderTest
{
    private readonly Process _process;
    private readonly ListeningAddress _listening = new();
    private readonly ProcessOutputLog _log;

    private ServerProcess(Process process, string modelsPath, ServerOutput? output)
    {
        _process = process;
        ModelsPath = modelsPath;
        _log = ProcessOutputLog.Capture(process, output?.KeepLastLines, line =>
        {
            _listening.Notice(line);
            output?.Observer?.Invoke(line);
        });
    }

    /// <summary>Where it listens: the port the system gave it, as its log says (known once <see cref="StartAsync"/> returns).</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>OLLAMA_MODELS of this server (a fresh temp folder unless given).</summary>
    public string ModelsPath { get; }

    /// <summary>host:port, as OLLAMA_HOST for clients.</summary>
    public string HostAndPort => $"{BaseAddress.Host}:{BaseAddress.Port}";

    public string Log => _log.Text;

    public bool HasExited => _process.HasExited;

    /// <summary>The <c>corral serve</c> process's id.</summary>
    public int ProcessId => _process.Id;

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(5) };

    /// <summary>
    /// Starts a server; <paramref name="environment"/> adds or overrides variables (OLLAMA_*); <paramref name="output"/>
    /// says how much of its output to keep (all by default).
    /// </summary>
    public static async Task<ServerProcess> StartAsync(IReadOnlyDictionary<string, string>? environment = null, string? modelsPath = null, ServerOutput? output = null)
    {
        modelsPath ??= ServerStores.CreateTemp();
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(CorralPaths.CorralDll);
        info.ArgumentList.Add("serve");

        // Port 0: the system picks a free port as the server binds it, and its log says which (ListeningAddress).
        info.Environment["OLLAMA_HOST"] = "127.0.0.1:0";
        info.Environment["OLLAMA_MODELS"] = modelsPath;
        info.Environment.Remove(CorralPaths.RunnerDllVariable);
        foreach (var inherited in info.Environment.Keys.Where(k => k.StartsWith("OTEL_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(inherited); // a collector configured for the test host is none of the server's business
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start corral serve");
        var server = new ServerProcess(process, modelsPath, output);
        try
        {
            await server.WaitUntilUpAsync();
        }
        catch
        {
            await server.DisposeAsync(); // a server that never came up leaves no process or store behind
            throw;
        }

        return server;
    }

    private async Task WaitUntilUpAsync()
    {
        var timeout = TimeSpan.FromSeconds(60);
        BaseAddress = await _listening.WaitAsync(_process, "corral serve", timeout, () => Log);
        await ChildProcessReadiness.WaitForHttpOkAsync(_process, new Uri(BaseAddress, "/"), "corral serve", timeout, () => Log);
    }

    /// <summary>SIGKILL to the server alone, as a crash or the OOM killer would end it: its runners are not told.</summary>
    public async Task KillServerOnlyAsync()
    {
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync();
    }

    /// <summary>Process ids of the runners this server started (found by their command line, which names its store).</summary>
    public IReadOnlyList<int> RunnerProcessIds() => ServerStores.RunnerProcessIds(ModelsPath);

    /// <summary>
    /// Stops the server as a service manager would: SIGTERM, so it stops its runners and removes their socket folders,
    /// and a kill (with its children) only when it has not exited after <paramref name="grace"/>; says how it ended.
    /// </summary>
    public async Task<ServerStop> StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return new ServerStop(WasRunning: false, TimeSpan.Zero, _process.ExitCode, Killed: false);
        }

        var started = Stopwatch.GetTimestamp();
        if (Signals.Terminate(_process.Id))
        {
            using var patience = new CancellationTokenSource(grace);
            try
            {
                await _process.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        var killed = !_process.HasExited;
        if (killed)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        return new ServerStop(WasRunning: true, Stopwatch.GetElapsedTime(started), _process.ExitCode, killed);
    }

    /// <summary>Stops the server (<see cref="StopAsync"/>, 15 s of grace), then removes the store when it is a temp folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await StopAsync(TimeSpan.FromSeconds(15));

            // Runners end by themselves when their server does (their lifeline closes); this is the safety net.
            foreach (var pid in RunnerProcessIds())
            {
                Signals.KillIfAlive(pid);
            }
        }

        _process.Dispose();
        ServerStores.DeleteIfTemp(ModelsPath);
    }
}
