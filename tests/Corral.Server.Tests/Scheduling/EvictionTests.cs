using Corral.Server.Configuration;
using Corral.Server.Scheduling;
using static Corral.Server.Tests.Scheduling.SchedulerHarness;

namespace Corral.Server.Tests.Scheduling;

/// <summary>Which model makes room for another (OLLAMA_MAX_LOADED_MODELS, memory), and that a stop never holds the scheduler.</summary>
public sealed class EvictionTests
{
    private static ServerSettings MaxLoaded(int models) => new() { NumParallel = 1, MaxLoadedModels = models };

    [Fact]
    public async Task The_least_recently_used_idle_model_makes_room()
    {
        await using var h = new SchedulerHarness(MaxLoaded(2));
        var a = await h.LoadIdleAsync("a");
        var b = await h.LoadIdleAsync("b");
        Assert.Same(a, await h.LoadIdleAsync("a")); // a is now used more recently than b

        var c = await h.LoadIdleAsync("c");

        Assert.True(b.IsStopRequested);
        Assert.False(a.IsStopRequested);
        Assert.False(c.IsStopRequested);
        Assert.Equal(["a", "c"], await h.LoadedNamesAsync());
        Assert.Equal(3, h.Launcher.Launches.Count);
    }

    [Fact]
    public async Task A_busy_model_is_not_evicted_the_request_waits_for_it()
    {
        await using var h = new SchedulerHarness(MaxLoaded(1));
        var held = await h.AcquireAsync("a").WaitAsync(Hang);
        var a = RunnerOf(held);

        var waiting = h.AcquireAsync("b");
        await Task.Delay(Grace);
        Assert.False(waiting.IsCompleted);
        Assert.False(a.IsStopRequested);
        Assert.Single(h.Launcher.Launches);

        await held.DisposeAsync();
        await using var lease = await waiting.WaitAsync(Hang);

        Assert.Equal("b", lease.Model.Name);
        Assert.True(a.IsStopRequested);
        Assert.Equal(["b"], await h.LoadedNamesAsync());
    }

    [Fact]
    public async Task The_memory_of_the_runner_a_load_evicts_counts_as_free()
    {
        await using var h = new SchedulerHarness(MaxLoaded(1)) { AvailableMemory = 1000 };
        var a = await h.LoadIdleAsync("a"); // 100 bytes
        h.AvailableMemory = 300; // free with a's runner holding its memory: b (350) fits only once a is gone

        await using var lease = await h.Scheduler.AcquireAsync(Request("b", bytes: 350), CancellationToken.None).WaitAsync(Hang);

        Assert.True(a.IsStopRequested);
        Assert.Equal(["b"], await h.LoadedNamesAsync());
    }

    [Fact]
    public async Task A_model_larger_than_free_memory_is_refused_without_starting_a_runner()
    {
        await using var h = new SchedulerHarness(MaxLoaded(2)) { AvailableMemory = 1000 };
        var a = await h.LoadIdleAsync("a"); // 100 bytes
        h.AvailableMemory = 300; // a stays (room for two models), so its memory is not freed

        var error = await Assert.ThrowsAsync<ModelMemoryException>(
            () => h.Scheduler.AcquireAsync(Request("b", bytes: 350), CancellationToken.None).WaitAsync(Hang));

        Assert.Contains("more system memory", error.Message);
        Assert.Single(h.Launcher.Launches);
        Assert.False(a.IsStopRequested);
        Assert.Equal(["a"], await h.LoadedNamesAsync());
    }

    [Fact]
    public async Task A_runner_slow_to_stop_holds_up_neither_other_models_nor_ps()
    {
        await using var h = new SchedulerHarness(MaxLoaded(2));
        var a = await h.LoadIdleAsync("a");
        var b = await h.LoadIdleAsync("b");
        var exit = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        a.StopGate = exit;

        var unloading = h.Scheduler.UnloadAsync("a", CancellationToken.None);
        await a.StopRequested.WaitAsync(Hang);
        Assert.False(unloading.IsCompleted); // it waits for the exit, which the gate holds

        Assert.Equal(["b"], await h.LoadedNamesAsync());
        await using (var lease = await h.AcquireAsync("b").WaitAsync(Hang))
        {
            Assert.Same(b, RunnerOf(lease));
        }

        exit.SetResult();
        await unloading.WaitAsync(Hang);
        Assert.True(a.HasExited);
    }

    [Fact]
    public async Task A_load_starts_only_once_the_runner_it_evicts_has_exited()
    {
        await using var h = new SchedulerHarness(MaxLoaded(1));
        var a = await h.LoadIdleAsync("a");
        var exit = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        a.StopGate = exit;

        var loading = h.AcquireAsync("b");
        await a.StopRequested.WaitAsync(Hang);
        await Task.Delay(Grace);
        Assert.Single(h.Launcher.Launches);
        Assert.Empty(await h.LoadedAsync()); // the scheduler answers meanwhile: a is gone, b not loaded yet

        exit.SetResult();
        await using var lease = await loading.WaitAsync(Hang);

        Assert.Equal(2, h.Launcher.Launches.Count);
        Assert.Equal(0, h.Launcher.LaunchesWhileAnotherStopped);
    }
}
