using Corral.Runner.Hosting;
using Corral.Server.Configuration;
using Corral.Server.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Corral.Server.Tests.Scheduling;

/// <summary>A <see cref="ModelScheduler"/> over a fake launcher, a fake clock and a memory figure the test sets.</summary>
internal sealed class SchedulerHarness : IAsyncDisposable
{
    /// <summary>How long a test waits for something that should happen at once before calling it hung.</summary>
    public static readonly TimeSpan Hang = TimeSpan.FromSeconds(10);

    /// <summary>How long a test gives a wrong scheduler to do what it must not (the check passes when it does not).</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(200);

    private bool _disposed;

    public SchedulerHarness(ServerSettings? settings = null)
    {
        Settings = settings ?? new ServerSettings { NumParallel = 1 };
        Scheduler = new ModelScheduler(Settings, NullLogger<ModelScheduler>.Instance, () => AvailableMemory, Launcher, Time);
    }

    public ServerSettings Settings { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));

    public FakeLauncher Launcher { get; } = new();

    /// <summary>What the scheduler reads as free memory; 0 = unknown (no check), as when /proc/meminfo is missing.</summary>
    public long AvailableMemory { get; set; }

    public ModelScheduler Scheduler { get; }

    public static ModelLoadRequest Request(string name, int context = 2048, TimeSpan? keepAlive = null, long bytes = 100) => new()
    {
        Name = name,
        Launch = new RunnerLaunchOptions { ModelPath = $"/models/{name}.gguf", SocketPath = string.Empty, ContextPerSlot = context },
        KeepAlive = keepAlive,
        ModelBytes = bytes,
    };

    public Task<RunnerLease> AcquireAsync(string name, int context = 2048, TimeSpan? keepAlive = null, CancellationToken cancellation = default) =>
        Scheduler.AcquireAsync(Request(name, context, keepAlive), cancellation);

    /// <summary>Loads <paramref name="name"/> and lets it go idle.</summary>
    public async Task<FakeRunner> LoadIdleAsync(string name, int context = 2048, TimeSpan? keepAlive = null)
    {
        var lease = await AcquireAsync(name, context, keepAlive).WaitAsync(Hang);
        var runner = RunnerOf(lease);
        await lease.DisposeAsync();
        return runner;
    }

    public static FakeRunner RunnerOf(RunnerLease lease) => (FakeRunner)lease.Model.Runner;

    public async Task<IReadOnlyList<LoadedModel>> LoadedAsync() => await Scheduler.SnapshotAsync(CancellationToken.None).WaitAsync(Hang);

    public async Task<IReadOnlyList<string>> LoadedNamesAsync() => [.. (await LoadedAsync()).Select(m => m.Name).Order()];

    /// <summary>One pass of the keep_alive reaper at the fake clock's time (the background one also runs as time advances).</summary>
    public Task ReapAsync() => Scheduler.ReapExpiredOnceAsync(CancellationToken.None).WaitAsync(Hang);

    public async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            await Scheduler.DisposeAsync().AsTask().WaitAsync(Hang);
        }
    }
}
