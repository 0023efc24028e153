using System.Diagnostics.Metrics;
using Corral.Server.Scheduling;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Corral.Server.Observability;

/// <summary>
/// Optional push of Corral's metrics over OTLP, on when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (or the
/// metrics-only <c>OTEL_EXPORTER_OTLP_METRICS_ENDPOINT</c>) is set. The exporter reads the standard
/// OTEL_* variables itself (protocol, headers, <c>OTEL_METRIC_EXPORT_INTERVAL</c>, resource attributes).
/// It exports the same instruments <c>/metrics</c> shows, plus the scheduler's gauges, which
/// <c>/metrics</c> reads at scrape time instead.
/// </summary>
public static class OtlpExport
{
    /// <summary>Gauges only the OTLP path observes (a separate meter keeps them out of the Prometheus collector).</summary>
    public const string SchedulerMeterName = "Corral.Server.Scheduler";

    public static IDisposable? StartIfConfigured(Func<string, string?> environment, ModelScheduler scheduler, string serviceVersion)
    {
        if (string.IsNullOrWhiteSpace(environment("OTEL_EXPORTER_OTLP_ENDPOINT"))
            && string.IsNullOrWhiteSpace(environment("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT")))
        {
            return null;
        }

        var meter = new Meter(SchedulerMeterName);
        meter.CreateObservableGauge("corral_queue_depth", () => scheduler.QueueDepth, description: "Requests waiting for a runner slot or for their model to load (not those being served).");
        meter.CreateObservableCounter("corral_runner_restarts_total", () => scheduler.RunnerCrashes, description: "Runners found dead (crashed) and replaced.");
        meter.CreateObservableGauge("corral_loaded_models", () => scheduler.LoadedCount, description: "Models loaded in runners.");

        var provider = Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(resource =>
            {
                if (string.IsNullOrWhiteSpace(environment("OTEL_SERVICE_NAME")))
                {
                    resource.AddService("corral", serviceVersion: serviceVersion);
                }
            })
            .AddMeter(ServerMetrics.MeterName, SchedulerMeterName)
            .AddOtlpExporter()
            .Build();
        return new Export(provider, meter);
    }

    /// <summary>Disposing flushes what is pending and stops the export.</summary>
    private sealed class Export(MeterProvider provider, Meter meter) : IDisposable
    {
        public void Dispose()
        {
            provider.Dispose();
            meter.Dispose();
        }
    }
}
