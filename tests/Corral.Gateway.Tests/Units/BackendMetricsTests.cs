using Corral.Gateway.Fleet;

namespace Corral.Gateway.Tests.Units;

/// <summary>The series the router reads from a backend's Prometheus text.</summary>
public sealed class BackendMetricsTests
{
    [Fact]
    public void Reads_queue_depth_and_slots_per_model_and_ignores_the_rest()
    {
        var metrics = BackendMetrics.Parse("""
            # HELP corral_queue_depth Requests waiting.
            # TYPE corral_queue_depth gauge
            corral_queue_depth 3
            corral_queue_depth_other 9
            corral_runner_slots{model="successor:latest"} 4
            corral_runner_active_slots{model="successor:latest"} 2
            corral_runner_active_slots{model="ns/other:tag"} 1
            corral_kv_cache_used_cells{model="successor:latest"} 100
            """);

        Assert.Equal(3, metrics.QueueDepth);
        Assert.Equal(4, metrics.Slots[ModelKey.Of("successor")]);
        Assert.Equal(2, metrics.ActiveSlots[ModelKey.Of("successor")]);
        Assert.Equal(1, metrics.ActiveSlots[ModelKey.Of("ns/other:tag")]);
        Assert.Single(metrics.Slots);
    }
}
