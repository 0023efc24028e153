using Corral.Server.Configuration;
using static Corral.Server.Tests.Scheduling.SchedulerHarness;

namespace Corral.Server.Tests.Scheduling;

/// <summary>How long an idle model stays loaded: keep_alive per request or the server's default, on a fake clock.</summary>
public sealed class KeepAliveTests
{
    private static readonly TimeSpan FiveMinutes = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Keep_alive_zero_unloads_when_the_request_ends()
    {
        await using var h = new SchedulerHarness();
        var lease = await h.AcquireAsync("a", keepAlive: TimeSpan.Zero).WaitAsync(Hang);
        var runner = RunnerOf(lease);
        Assert.False(runner.IsStopRequested);

        await lease.DisposeAsync();

        Assert.True(runner.IsStopRequested);
        Assert.True(runner.HasExited); // the release waited for the stop to finish
        Assert.Empty(await h.LoadedAsync());
    }

    [Fact]
    public async Task An_idle_model_expires_after_the_servers_keep_alive()
    {
        await using var h = new SchedulerHarness(new ServerSettings { NumParallel = 1, KeepAlive = FiveMinutes });
        var released = h.Time.GetUtcNow();
        var runner = await h.LoadIdleAsync("a");
        Assert.Equal(released + FiveMinutes, Assert.Single(await h.LoadedAsync()).ExpiresAt);

        h.Time.Advance(FiveMinutes - TimeSpan.FromSeconds(1));
        await h.ReapAsync();
        Assert.False(runner.IsStopRequested);
        Assert.Equal(["a"], await h.LoadedNamesAsync());

        h.Time.Advance(TimeSpan.FromSeconds(1));
        await h.ReapAsync();
        Assert.True(runner.IsStopRequested);
        Assert.Empty(await h.LoadedAsync());
    }

    [Fact]
    public async Task The_background_reaper_unloads_as_the_clock_passes_the_expiry()
    {
        await using var h = new SchedulerHarness(new ServerSettings { NumParallel = 1, KeepAlive = FiveMinutes });
        var runner = await h.LoadIdleAsync("a");

        h.Time.Advance(FiveMinutes);

        await runner.StopRequested.WaitAsync(Hang);
        Assert.Empty(await h.LoadedAsync());
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("-5m")]
    public async Task A_negative_keep_alive_keeps_the_model_forever(string keepAlive)
    {
        await using var h = new SchedulerHarness();
        var runner = await h.LoadIdleAsync("a", keepAlive: Durations.Parse(keepAlive));
        Assert.Equal(DateTimeOffset.MaxValue, Assert.Single(await h.LoadedAsync()).ExpiresAt);

        h.Time.Advance(TimeSpan.FromHours(2)); // 24 times the default; the reaper ticks every 250 ms of fake time all the way
        await h.ReapAsync();

        Assert.False(runner.IsStopRequested);
        Assert.Equal(["a"], await h.LoadedNamesAsync());
    }

    [Fact]
    public async Task A_servers_negative_keep_alive_keeps_models_forever()
    {
        await using var h = new SchedulerHarness(new ServerSettings { NumParallel = 1, KeepAlive = Durations.Parse("-1") });
        var runner = await h.LoadIdleAsync("a");

        h.Time.Advance(TimeSpan.FromHours(2)); // 24 times the default; the reaper ticks every 250 ms of fake time all the way
        await h.ReapAsync();

        Assert.False(runner.IsStopRequested);
    }

    [Fact]
    public async Task A_requests_keep_alive_overrides_the_default_and_the_latest_request_wins()
    {
        await using var h = new SchedulerHarness(new ServerSettings { NumParallel = 1, KeepAlive = FiveMinutes });
        var runner = await h.LoadIdleAsync("a", keepAlive: TimeSpan.FromMinutes(10));
        Assert.Equal(h.Time.GetUtcNow() + TimeSpan.FromMinutes(10), Assert.Single(await h.LoadedAsync()).ExpiresAt);

        h.Time.Advance(TimeSpan.FromMinutes(6)); // past the server's default
        await h.ReapAsync();
        Assert.False(runner.IsStopRequested);

        Assert.Same(runner, await h.LoadIdleAsync("a", keepAlive: TimeSpan.FromMinutes(1)));
        Assert.Equal(h.Time.GetUtcNow() + TimeSpan.FromMinutes(1), Assert.Single(await h.LoadedAsync()).ExpiresAt);

        h.Time.Advance(TimeSpan.FromMinutes(1));
        await h.ReapAsync();
        Assert.True(runner.IsStopRequested);
    }

    [Fact]
    public async Task A_model_in_use_does_not_expire_and_its_keep_alive_counts_from_the_release()
    {
        await using var h = new SchedulerHarness(new ServerSettings { NumParallel = 1, KeepAlive = FiveMinutes });
        var lease = await h.AcquireAsync("a").WaitAsync(Hang);
        Assert.Equal(DateTimeOffset.MaxValue, Assert.Single(await h.LoadedAsync()).ExpiresAt);

        h.Time.Advance(TimeSpan.FromMinutes(30));
        await h.ReapAsync();
        Assert.False(RunnerOf(lease).IsStopRequested);

        await lease.DisposeAsync();
        Assert.Equal(h.Time.GetUtcNow() + FiveMinutes, Assert.Single(await h.LoadedAsync()).ExpiresAt);
    }

    [Fact]
    public async Task Touching_an_idle_model_sets_its_expiry_and_an_unknown_model_is_not_touched()
    {
        await using var h = new SchedulerHarness(new ServerSettings { NumParallel = 1, KeepAlive = FiveMinutes });
        var runner = await h.LoadIdleAsync("a");

        Assert.True(await h.Scheduler.TouchAsync("a", TimeSpan.FromHours(1), CancellationToken.None));
        Assert.False(await h.Scheduler.TouchAsync("b", TimeSpan.FromHours(1), CancellationToken.None));
        Assert.Equal(h.Time.GetUtcNow() + TimeSpan.FromHours(1), Assert.Single(await h.LoadedAsync()).ExpiresAt);

        h.Time.Advance(TimeSpan.FromMinutes(59));
        await h.ReapAsync();
        Assert.False(runner.IsStopRequested);
    }
}
