using System.Collections.Concurrent;
using System.Text;
using Corral.Gateway.Fleet;
using Corral.Gateway.Routing;
using Corral.Server.Observability;

namespace Corral.Gateway.Observability;

/// <summary>
/// The gateway's own counters (requests per backend and status, retries and why, routing decisions), written at
/// <c>GET /metrics</c> in Prometheus text with gauges read from the fleet at scrape time.
/// </summary>
public sealed class GatewayMetrics(BackendFleet fleet)
{
    private readonly ConcurrentDictionary<(string Backend, int Status), long> _requests = new();
    private readonly ConcurrentDictionary<(string Backend, string Reason), long> _retries = new();
    private readonly ConcurrentDictionary<RoutingDecision, long> _decisions = new();
    private readonly ConcurrentDictionary<(string Operation, string Backend, string Outcome), long> _fanOut = new();
    private long _unrouted;

    public void Forwarded(Backend backend, int status) => _requests.AddOrUpdate((backend.Name, status), 1, static (_, n) => n + 1);

    public void Retried(Backend backend, string reason) => _retries.AddOrUpdate((backend.Name, reason), 1, static (_, n) => n + 1);

    public void Decided(RoutingDecision decision) => _decisions.AddOrUpdate(decision, 1, static (_, n) => n + 1);

    public void FannedOut(string operation, Backend backend, bool ok) =>
        _fanOut.AddOrUpdate((operation, backend.Name, ok ? "ok" : "error"), 1, static (_, n) => n + 1);

    public void NoBackend() => Interlocked.Increment(ref _unrouted);

    public string Render()
    {
        var text = new StringBuilder(2048);
        PrometheusText.Family(text, "corral_gateway_requests_total", "counter", "Requests forwarded, by backend and the status it answered.");
        foreach (var ((backend, status), count) in _requests.OrderBy(p => p.Key.Backend, StringComparer.Ordinal).ThenBy(p => p.Key.Status))
        {
            var labels = PrometheusText.Label(new StringBuilder(), "backend", backend).Append(',');
            PrometheusText.Sample(text, "corral_gateway_requests_total", PrometheusText.Label(labels, "status", status.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToString(), count);
        }

        PrometheusText.Family(text, "corral_gateway_retries_total", "counter", "Requests sent to another backend after this one answered 503 (queue_full) or failed before answering (unreachable).");
        foreach (var ((backend, reason), count) in _retries.OrderBy(p => p.Key.Backend, StringComparer.Ordinal))
        {
            var labels = PrometheusText.Label(new StringBuilder(), "backend", backend).Append(',');
            PrometheusText.Sample(text, "corral_gateway_retries_total", PrometheusText.Label(labels, "reason", reason).ToString(), count);
        }

        PrometheusText.Family(text, "corral_gateway_routing_decisions_total", "counter", "Why a backend was chosen: loaded (model loaded, free slot), on_disk, least_loaded, named.");
        foreach (var decision in Enum.GetValues<RoutingDecision>())
        {
            PrometheusText.Sample(text, "corral_gateway_routing_decisions_total", PrometheusText.Label(new StringBuilder(), "decision", DecisionName(decision)).ToString(), _decisions.GetValueOrDefault(decision));
        }

        PrometheusText.Family(text, "corral_gateway_unrouted_total", "counter", "Requests answered 503 because no backend was up and not draining.");
        PrometheusText.Sample(text, "corral_gateway_unrouted_total", string.Empty, Interlocked.Read(ref _unrouted));

        PrometheusText.Family(text, "corral_gateway_fanout_total", "counter", "Model management calls (pull, create, copy, delete, blobs) sent to each backend, by outcome.");
        foreach (var ((operation, backend, outcome), count) in _fanOut.OrderBy(p => p.Key.Operation, StringComparer.Ordinal).ThenBy(p => p.Key.Backend, StringComparer.Ordinal))
        {
            var labels = PrometheusText.Label(new StringBuilder(), "operation", operation).Append(',');
            PrometheusText.Label(labels, "backend", backend).Append(',');
            PrometheusText.Sample(text, "corral_gateway_fanout_total", PrometheusText.Label(labels, "outcome", outcome).ToString(), count);
        }

        Gauge(text, "corral_gateway_backend_up", "1 when the backend answered its last check.", b => b.View.Up ? 1 : 0);
        Gauge(text, "corral_gateway_backend_draining", "1 while an operator drains the backend (no new requests).", b => b.IsDraining ? 1 : 0);
        Gauge(text, "corral_gateway_backend_in_flight", "Requests this gateway has in flight on the backend.", b => b.InFlight);
        Gauge(text, "corral_gateway_backend_queue_depth", "The backend's corral_queue_depth at its last check.", b => b.View.QueueDepth);
        Gauge(text, "corral_gateway_backend_loaded_models", "Models the backend had loaded at its last check.", b => b.View.Loaded.Count);
        return text.ToString();
    }

    public static string DecisionName(RoutingDecision decision) => decision switch
    {
        RoutingDecision.Loaded => "loaded",
        RoutingDecision.OnDisk => "on_disk",
        RoutingDecision.LeastLoaded => "least_loaded",
        _ => "named",
    };

    private void Gauge(StringBuilder text, string name, string help, Func<Backend, double> value)
    {
        PrometheusText.Family(text, name, "gauge", help);
        foreach (var backend in fleet.All)
        {
            PrometheusText.Sample(text, name, PrometheusText.Label(new StringBuilder(), "backend", backend.Name).ToString(), value(backend));
        }
    }
}
