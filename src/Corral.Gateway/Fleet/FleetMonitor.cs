using Corral.Gateway.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Corral.Gateway.Fleet;

/// <summary>
/// The gateway's health check and short-lived cache in one: every refresh interval it reads every backend
/// (<see cref="BackendProbe"/>) in parallel and replaces its view, so a backend that stops answering is taken out
/// and one that answers again is put back. <see cref="RefreshNowAsync"/> re-reads at once (after a model was
/// pulled, copied or deleted through the gateway).
/// </summary>
public sealed partial class FleetMonitor(BackendFleet fleet, GatewaySettings settings, ILogger<FleetMonitor> logger) : BackgroundService
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30) })
    {
        // A busy server can take a while to answer /metrics (it asks each runner); slow is not down.
        Timeout = TimeSpan.FromSeconds(Math.Max(5, settings.RefreshInterval.TotalSeconds * 2)),
    };

    private readonly Dictionary<Backend, int> _failedChecks = [];

    private readonly SemaphoreSlim _refreshing = new(1, 1);

    public async Task RefreshNowAsync(CancellationToken cancellation)
    {
        await _refreshing.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            var probe = new BackendProbe(_http, settings.BackendKey);
            await Task.WhenAll(fleet.All.Select(async backend =>
            {
                var before = backend.View;
                var view = await probe.ReadAsync(backend, cancellation).ConfigureAwait(false);
                if (!view.Up && before.Up && CountFailure(backend) < FailuresBeforeDown)
                {
                    // One missed check (a busy machine, a slow scrape) keeps the last view; a refused forward still
                    // takes a backend out at once (Backend.MarkDown).
                    return;
                }

                if (view.Up)
                {
                    ResetFailures(backend);
                }

                backend.Update(view);
                if (view.Up != before.Up)
                {
                    if (view.Up)
                    {
                        LogUp(backend.Name, backend.BaseAddress);
                    }
                    else
                    {
                        LogDown(backend.Name, backend.BaseAddress, view.Error ?? "no answer");
                    }
                }
            })).ConfigureAwait(false);
        }
        finally
        {
            _refreshing.Release();
        }
    }

    /// <summary>Consecutive failed checks that take a backend that was up out of rotation.</summary>
    private const int FailuresBeforeDown = 2;

    private int CountFailure(Backend backend)
    {
        lock (_failedChecks)
        {
            return _failedChecks[backend] = _failedChecks.GetValueOrDefault(backend) + 1;
        }
    }

    private void ResetFailures(Backend backend)
    {
        lock (_failedChecks)
        {
            _failedChecks.Remove(backend);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.RefreshInterval);
        do
        {
            try
            {
                await RefreshNowAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    public override void Dispose()
    {
        _http.Dispose();
        _refreshing.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "backend {Name} ({Address}) is up")]
    private partial void LogUp(string name, Uri address);

    [LoggerMessage(Level = LogLevel.Warning, Message = "backend {Name} ({Address}) is down: {Reason}")]
    private partial void LogDown(string name, Uri address, string reason);
}
