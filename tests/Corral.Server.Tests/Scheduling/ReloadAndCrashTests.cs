using Corral.Server.Configuration;
using static Corral.Server.Tests.Scheduling.SchedulerHarness;

namespace Corral.Server.Tests.Scheduling;

/// <summary>A loaded runner is reused while its load options fit, replaced when they change, and dropped when it dies.</summary>
public sealed class ReloadAndCrashTests
{
    [Fact]
    public async Task The_same_options_reuse_the_loaded_runner()
    {
        await using var h = new SchedulerHarness();
        var first = await h.LoadIdleAsync("a", context: 2048);

        Assert.Same(first, await h.LoadIdleAsync("a", context: 2048));
        Assert.Single(h.Launcher.Launches);
    }

    [Fact]
    public async Task A_changed_num_ctx_reloads_an_idle_model()
    {
        await using var h = new SchedulerHarness();
        var first = await h.LoadIdleAsync("a", context: 2048);

        var second = await h.LoadIdleAsync("a", context: 4096);

        Assert.NotSame(first, second);
        Assert.True(first.IsStopRequested);
        Assert.Equal(4096, second.Launch.ContextPerSlot);
        Assert.Equal(4096, Assert.Single(await h.LoadedAsync()).Request.Launch.ContextPerSlot);
    }

    [Fact]
    public async Task A_changed_num_ctx_waits_for_the_requests_on_the_old_runner()
    {
        await using var h = new SchedulerHarness(new ServerSettings { NumParallel = 2 });
        var held = await h.AcquireAsync("a", context: 2048).WaitAsync(Hang);
        var first = RunnerOf(held);

        var reloading = h.AcquireAsync("a", context: 4096);
        await Task.Delay(Grace);
        Assert.False(reloading.IsCompleted);
        Assert.False(first.IsStopRequested);

        await held.DisposeAsync();
        await using var lease = await reloading.WaitAsync(Hang);

        Assert.True(first.IsStopRequested);
        Assert.Equal(4096, RunnerOf(lease).Launch.ContextPerSlot);
    }

    [Fact]
    public async Task A_runner_that_dies_is_dropped_and_the_next_request_loads_a_fresh_one()
    {
        await using var h = new SchedulerHarness();
        var first = await h.LoadIdleAsync("a");

        first.Crash("the model runner crashed (SIGSEGV)");
        await first.StopRequested.WaitAsync(Hang); // the crash watch disposes what is left of it

        Assert.Empty(await h.LoadedAsync());
        Assert.Equal(1, h.Scheduler.RunnerCrashes);
        var second = await h.LoadIdleAsync("a");
        Assert.NotSame(first, second);
        Assert.Equal(2, h.Launcher.Launches.Count);
    }

    [Fact]
    public async Task A_request_waiting_for_a_slot_of_a_runner_that_dies_gets_a_fresh_runner()
    {
        await using var h = new SchedulerHarness();
        var held = await h.AcquireAsync("a").WaitAsync(Hang);
        var first = RunnerOf(held);
        var waiting = h.AcquireAsync("a");

        first.Crash("the model runner crashed (SIGABRT)");
        await held.DisposeAsync(); // its stream failed with the runner
        await using var lease = await waiting.WaitAsync(Hang);

        Assert.NotSame(first, RunnerOf(lease));
        Assert.False(RunnerOf(lease).HasExited);
        Assert.Equal(2, h.Launcher.Launches.Count);
    }
}
