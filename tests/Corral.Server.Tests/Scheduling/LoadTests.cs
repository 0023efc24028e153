using Corral.Runner.Client;
using Corral.Server.Configuration;
using static Corral.Server.Tests.Scheduling.SchedulerHarness;

namespace Corral.Server.Tests.Scheduling;

/// <summary>Loads: shared by the requests that wait for them, failed for all of them, bounded by OLLAMA_LOAD_TIMEOUT.</summary>
public sealed class LoadTests
{
    private static TaskCompletionSource NewGate() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Fact]
    public async Task Concurrent_requests_for_one_model_share_one_load()
    {
        await using var h = new SchedulerHarness(new ServerSettings { NumParallel = 3 });
        var gate = h.Launcher.Gate = NewGate();
        var requests = Enumerable.Range(0, 3).Select(_ => h.AcquireAsync("a")).ToList();
        await h.Launcher.LaunchBegan.WaitAsync(Hang);

        gate.SetResult();
        var leases = await Task.WhenAll(requests).WaitAsync(Hang);

        Assert.Single(h.Launcher.Launches);
        Assert.All(leases, l => Assert.Same(leases[0].Model, l.Model));
        foreach (var lease in leases)
        {
            await lease.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_failed_load_fails_every_request_waiting_for_it_and_the_next_request_tries_again()
    {
        await using var h = new SchedulerHarness(new ServerSettings { NumParallel = 3 });
        var gate = h.Launcher.Gate = NewGate();
        var requests = Enumerable.Range(0, 3).Select(_ => h.AcquireAsync("a")).ToList();
        await h.Launcher.LaunchBegan.WaitAsync(Hang);

        gate.SetException(new RunnerException("unable to load model: broken tensor"));

        foreach (var request in requests)
        {
            var error = await Assert.ThrowsAsync<RunnerException>(() => request.WaitAsync(Hang));
            Assert.Equal("unable to load model: broken tensor", error.Message);
        }

        Assert.Single(h.Launcher.Launches);
        Assert.Empty(await h.LoadedAsync());

        h.Launcher.Gate = null;
        await using var lease = await h.AcquireAsync("a").WaitAsync(Hang);
        Assert.Equal(2, h.Launcher.Launches.Count);
    }

    [Fact]
    public async Task A_load_that_stalls_past_the_load_timeout_fails()
    {
        await using var h = new SchedulerHarness(new ServerSettings { NumParallel = 1, LoadTimeout = TimeSpan.FromMinutes(2) });
        h.Launcher.Gate = NewGate(); // never opened
        var request = h.AcquireAsync("a");
        await h.Launcher.LaunchBegan.WaitAsync(Hang);

        h.Time.Advance(TimeSpan.FromMinutes(2) - TimeSpan.FromSeconds(1));
        await Task.Delay(Grace);
        Assert.False(request.IsCompleted);

        h.Time.Advance(TimeSpan.FromSeconds(1));
        var error = await Assert.ThrowsAsync<RunnerException>(() => request.WaitAsync(Hang));

        Assert.Contains("timed out waiting for the model to load", error.Message);
        Assert.Empty(await h.LoadedAsync());
    }

    [Fact]
    public async Task A_request_cancelled_during_the_load_leaves_the_loaded_model_idle()
    {
        await using var h = new SchedulerHarness();
        var gate = h.Launcher.Gate = NewGate();
        using var cancel = new CancellationTokenSource();
        var request = h.AcquireAsync("a", cancellation: cancel.Token);
        await h.Launcher.LaunchBegan.WaitAsync(Hang);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request.WaitAsync(Hang));
        gate.SetResult();

        // Unloaded on the next request's keep_alive 0 only once nobody else counts as its user: the cancelled one is gone.
        var lease = await h.AcquireAsync("a", keepAlive: TimeSpan.Zero).WaitAsync(Hang);
        var runner = RunnerOf(lease);
        await lease.DisposeAsync();
        await runner.StopRequested.WaitAsync(Hang);
        Assert.Single(h.Launcher.Launches);
    }

    [Fact]
    public async Task Shutting_down_stops_loaded_runners_and_ends_loads_in_progress()
    {
        var h = new SchedulerHarness(new ServerSettings { NumParallel = 1, MaxLoadedModels = 2 });
        var a = await h.LoadIdleAsync("a");
        h.Launcher.Gate = NewGate(); // never opened: only the shutdown ends this load
        h.Launcher.ExpectLaunch();
        var loading = h.AcquireAsync("b");
        await h.Launcher.LaunchBegan.WaitAsync(Hang);

        await h.DisposeAsync();

        Assert.True(a.HasExited);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loading.WaitAsync(Hang));
    }
}
