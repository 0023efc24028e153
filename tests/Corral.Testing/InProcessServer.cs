using System.Diagnostics;
using Corral.Runner.Client;
using Corral.Server.Configuration;
using Corral.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Corral.Testing;

/// <summary>
/// The real Corral server (<see cref="CorralServer.Build"/>: the same services, middleware and routes as
/// <c>corral serve</c>) hosted inside the test process on a port the system picks, with its own model store. Its
/// variables are the test host's environment with the given ones laid over it (<see cref="EnvironmentSource"/>), so
/// servers with different settings live side by side; its runners are real <c>corral runner</c> child processes that
/// see the same variables. It starts in a fraction of a second, as nothing is started or compiled again; tests about
/// the process itself (signals, exit codes, its output, its memory) use <see cref="ServerProcess"/>. One exception to
/// "its own variables": the OTLP exporter reads the process environment itself, so OTLP tests run a process.
/// </summary>
public sealed class InProcessServer : IServerUnderTest
{
    private static readonly TimeSpan DisposeGrace = TimeSpan.FromSeconds(15);
    private readonly WebApplication _app;
    private readonly ProcessOutputLog _log;
    private int _stopped;

    private InProcessServer(WebApplication app, ProcessOutputLog log, Uri baseAddress, string modelsPath)
    {
        _app = app;
        _log = log;
        BaseAddress = baseAddress;
        ModelsPath = modelsPath;
    }

    public Uri BaseAddress { get; }

    public string ModelsPath { get; }

    public string HostAndPort => $"{BaseAddress.Host}:{BaseAddress.Port}";

    public string Log => _log.Text;

    public bool HasExited => Volatile.Read(ref _stopped) != 0;

    /// <summary>The server's services (its scheduler, store, settings), for tests that look inside.</summary>
    public IServiceProvider Services => _app.Services;

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(5) };

    public IReadOnlyList<int> RunnerProcessIds() => ServerStores.RunnerProcessIds(ModelsPath);

    /// <summary>
    /// Starts a server; <paramref name="environment"/> adds or overrides variables (OLLAMA_*, CORRAL_*) for it alone;
    /// <paramref name="output"/> says how much of its log to keep (all by default).
    /// </summary>
    public static Task<InProcessServer> StartAsync(IReadOnlyDictionary<string, string>? environment = null, string? modelsPath = null, ServerOutput? output = null)
    {
        // Off xunit's synchronization context: the server's background work must not queue behind the tests' threads.
        return Task.Run(() => StartCoreAsync(environment, modelsPath ?? ServerStores.CreateTemp(), output));
    }

    private static async Task<InProcessServer> StartCoreAsync(IReadOnlyDictionary<string, string>? environment, string modelsPath, ServerOutput? output)
    {
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["OLLAMA_HOST"] = "127.0.0.1:0",
            ["OLLAMA_MODELS"] = modelsPath,

            // The runners run corral.dll; this process's entry assembly is the test host.
            [CorralPaths.RunnerDllVariable] = CorralPaths.CorralDll,
        };
        foreach (var name in System.Environment.GetEnvironmentVariables().Keys.OfType<string>().Where(k => k.StartsWith("OTEL_", StringComparison.Ordinal)))
        {
            variables[name] = null; // a collector configured for the test host is none of the server's business
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            variables[name] = value;
        }

        var source = EnvironmentSource.Over(variables);
        var log = ProcessOutputLog.Create(output?.KeepLastLines, output?.Observer);
        WebApplication? app = null;
        try
        {
            app = CorralServer.Build(ServerSettings.FromVariables(source.Get), [], new ServerHostOptions
            {
                Environment = source,
                Logging = logging =>
                {
                    logging.ClearProviders();
                    logging.AddProvider(new LogLines(log));
                },
                Services = services => services.AddSingleton<IHostLifetime, GuestLifetime>(),
            });
            await app.StartAsync();
        }
        catch
        {
            // A server that never came up leaves no runner or store behind.
            if (app is not null)
            {
                await app.DisposeAsync();
            }

            ServerStores.DeleteIfTemp(modelsPath);
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new InProcessServer(app, log, new Uri(address.TrimEnd('/') + "/"), modelsPath);
    }

    /// <summary>Stops the server as SIGTERM stops <c>corral serve</c>: requests end, the runners are stopped; says how long it took.</summary>
    public Task<ServerStop> StopAsync(TimeSpan grace) => Task.Run(() => StopCoreAsync(grace));

    private async Task<ServerStop> StopCoreAsync(TimeSpan grace)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return new ServerStop(WasRunning: false, TimeSpan.Zero, ExitCode: 0, Killed: false);
        }

        var started = Stopwatch.GetTimestamp();
        var gaveUp = false;
        using (var patience = new CancellationTokenSource(grace))
        {
            try
            {
                await _app.StopAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                gaveUp = true;
            }
        }

        // Disposing the services stops the scheduler, which ends the runners and removes their socket folders.
        await _app.DisposeAsync();

        // Nothing can be killed here: "killed" says the graceful stop ran out of patience, as a kill would follow it.
        return new ServerStop(WasRunning: true, Stopwatch.GetElapsedTime(started), ExitCode: 0, Killed: gaveUp);
    }

    /// <summary>Stops the server (<see cref="StopAsync"/>, 15 s of grace), then removes the store when it is a temp folder.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(DisposeGrace);

        // The scheduler stopped its runners; this is the safety net.
        foreach (var pid in RunnerProcessIds())
        {
            Signals.KillIfAlive(pid);
        }

        ServerStores.DeleteIfTemp(ModelsPath);
    }
}
