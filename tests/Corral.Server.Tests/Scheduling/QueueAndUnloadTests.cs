using Corral.Server.Configuration;
using Corral.Server.Scheduling;
using static Corral.Server.Tests.Scheduling.SchedulerHarness;

namespace Corral.Server.Tests.Scheduling;

/// <summary>OLLAMA_MAX_QUEUE, and unloading (keep_alive 0) a model that requests are still using.</summary>
public sealed class QueueAndUnloadTests
{
    [Fact]
    public async Task Requests_past_the_queue_limit_are_refused_as_busy_and_the_queued_ones_are_served()
    {
        await using var h = new SchedulerHarness(new ServerSettings { NumParallel = 1, MaxQueue = 2 });
        var held = await h.AcquireAsync("a").WaitAsync(Hang);
        var queued = new[] { h.AcquireAsync("a"), h.AcquireAsync("a") };
        Assert.Equal(2, h.Scheduler.QueueDepth);

        await Assert.ThrowsAsync<ServerBusyException>(() => h.AcquireAsync("a").WaitAsync(Hang));
        Assert.Equal(2, h.Scheduler.QueueDepth);

        await held.DisposeAsync();
        var pending = queued.ToList();
        while (pending.Count > 0)
        {
            // One slot: each queued request gets it when the one before gives it back.
            var served = await Task.WhenAny(pending).WaitAsync(Hang);
            pending.Remove(served);
            await (await served).DisposeAsync();
        }

        Assert.Equal(0, h.Scheduler.QueueDepth);
        Assert.Single(h.Launcher.Launches);
    }

    [Fact]
    public async Task Unloading_a_busy_model_waits_for_its_request_to_finish()
    {
        await using var h = new SchedulerHarness();
        var held = await h.AcquireAsync("a").WaitAsync(Hang);
        var runner = RunnerOf(held);

        await h.Scheduler.UnloadAsync("a", CancellationToken.None).WaitAsync(Hang);
        Assert.False(runner.IsStopRequested);
        Assert.Equal(["a"], await h.LoadedNamesAsync());

        await held.DisposeAsync();
        Assert.True(runner.IsStopRequested);
        Assert.Empty(await h.LoadedAsync());
    }

    [Fact]
    public async Task Unloading_an_idle_model_stops_it_at_once()
    {
        await using var h = new SchedulerHarness();
        var runner = await h.LoadIdleAsync("a");

        await h.Scheduler.UnloadAsync("a", CancellationToken.None).WaitAsync(Hang);

        Assert.True(runner.HasExited);
        Assert.Empty(await h.LoadedAsync());
    }

    [Fact]
    public async Task Keep_alive_zero_unloads_once_the_last_request_ends()
    {
        await using var h = new SchedulerHarness(new ServerSettings { NumParallel = 2 });
        var first = await h.AcquireAsync("a").WaitAsync(Hang);
        var second = await h.AcquireAsync("a", keepAlive: TimeSpan.Zero).WaitAsync(Hang);
        var runner = RunnerOf(first);

        await second.DisposeAsync();
        Assert.False(runner.IsStopRequested);

        await first.DisposeAsync(); // no keep_alive of its own: the latest one (0) holds
        Assert.True(runner.IsStopRequested);
        Assert.Empty(await h.LoadedAsync());
    }
}
