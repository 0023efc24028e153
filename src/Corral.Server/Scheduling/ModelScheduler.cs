using System.Diagnostics;
using Corral.Runner.Client;
using Corral.Runner.Hosting;
using Corral.Server.Configuration;
using Corral.Server.Scheduling.Gpu;
using Microsoft.Extensions.Logging;

namespace Corral.Server.Scheduling;

/// <summary>
/// Decides which runner serves a request: reuses a loaded model when its options fit,
/// starts one otherwise (evicting the least recently used idle model past
/// OLLAMA_MAX_LOADED_MODELS), bounds the queue (OLLAMA_MAX_QUEUE, also for loaded
/// models), unloads idle models when their keep_alive runs out, and notices runners
/// that die so the next request starts a fresh one.
/// </summary>
public sealed partial class ModelScheduler : IAsyncDisposable
{
    private readonly ServerSettings _settings;
    private readonly ILogger _logger;
    private readonly Dictionary<string, LoadedModel> _loaded = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, (Task<LoadedModel> Task, long Need)> _loading = new(StringComparer.OrdinalIgnoreCase);
    private readonly SemaphoreSlim _lock = new(1, 1);

    // Runners told to stop whose processes have not exited yet (a kill and its wait take up to 5 s): awaited outside
    // the lock, and by shutdown.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Task, byte> _stopping = new();
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Task _reaper;
    private readonly PeriodicTimer _reapTimer;
    private readonly Func<long> _availableMemory;
    private readonly IRunnerLauncher _launcher;
    private readonly TimeProvider _time;
    private int _pending;
    private long _clock;

    /// <param name="settings">The server's settings (keep_alive, queue and memory limits).</param>
    /// <param name="logger">Where the scheduler logs.</param>
    /// <param name="availableMemory">Reads free system memory in bytes; the system's unless a test fakes it.</param>
    /// <param name="launcher">Starts runners; child processes unless a test stands in fakes.</param>
    /// <param name="gpus">The GPUs found at start; null or none: no layer placement.</param>
    /// <param name="time">The clock for keep_alive expiry and load timeouts; the system's unless a test fakes it.</param>
    public ModelScheduler(
        ServerSettings settings,
        ILogger<ModelScheduler> logger,
        Func<long>? availableMemory = null,
        IRunnerLauncher? launcher = null,
        TimeProvider? time = null,
        GpuInventory? gpus = null)
    {
        _settings = settings;
        _gpus = gpus;
        _logger = logger;
        _availableMemory = availableMemory ?? SystemMemory.AvailableBytes;
        _launcher = launcher ?? new ProcessRunnerLauncher();
        _time = time ?? TimeProvider.System;

        // Made here, not in the reaper's task, so a fake clock advanced right after construction already ticks it.
        _reapTimer = new PeriodicTimer(TimeSpan.FromMilliseconds(250), _time);
        _reaper = Task.Run(ReapExpiredAsync);
    }

    /// <summary>Runner restarts after a crash, for metrics.</summary>
    public long RunnerCrashes { get; private set; }

    public int QueueDepth => Volatile.Read(ref _pending);

    /// <summary>Models held by runners (dead ones included until noticed), read without the lock: a gauge may be a moment stale.</summary>
    public int LoadedCount => _loaded.Count;

    /// <summary>A snapshot of loaded models for /api/ps.</summary>
    public async Task<IReadOnlyList<LoadedModel>> SnapshotAsync(CancellationToken cancellation)
    {
        await _lock.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            return _loaded.Values.Where(m => !m.IsDead).OrderBy(m => m.ExpiresAt).ToList();
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Gets a slot of a runner for <paramref name="request"/>, loading the model if needed.</summary>
    public async Task<RunnerLease> AcquireAsync(ModelLoadRequest request, CancellationToken cancellation)
    {
        if (Interlocked.Increment(ref _pending) > _settings.MaxQueue)
        {
            Interlocked.Decrement(ref _pending);
            throw new ServerBusyException();
        }

        try
        {
            var gpus = await GpusAsync(cancellation).ConfigureAwait(false);
            while (true)
            {
                var reservation = await ReserveAsync(request, gpus, cancellation).ConfigureAwait(false);
                if (reservation.WaitFor is { } waitFor)
                {
                    // Another request's load of this model (its failure is ours too), or room to free up.
                    await waitFor.WaitAsync(cancellation).ConfigureAwait(false);
                    continue;
                }

                var model = reservation.Model;
                if (reservation.Load is { } load)
                {
                    try
                    {
                        model = await load.WaitAsync(cancellation).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
                    {
                        // The load goes on without us (as Ollama's does); our user count goes when it ends.
                        _ = UnreserveWhenLoadedAsync(load, request.KeepAlive);
                        throw;
                    }
                }

                try
                {
                    await model!.Slots.WaitAsync(cancellation).ConfigureAwait(false);
                }
                catch
                {
                    await UnreserveAsync(model!, request.KeepAlive).ConfigureAwait(false);
                    throw;
                }

                if (model.IsDead)
                {
                    // Died while we waited: give the slot back and go round again for a fresh runner.
                    model.Slots.Release();
                    await UnreserveAsync(model, request.KeepAlive).ConfigureAwait(false);
                    continue;
                }

                return new RunnerLease(this, model) { KeepAlive = request.KeepAlive };
            }
        }
        finally
        {
            Interlocked.Decrement(ref _pending);
        }
    }

    /// <summary>
    /// Under the lock: finds the model and counts this request as a user, starts loading it (the
    /// load runs outside the lock, so /api/ps, other models and finishing requests never wait on
    /// it), or says what to wait for before trying again.
    /// </summary>
    private async Task<Reservation> ReserveAsync(ModelLoadRequest request, IReadOnlyList<Runner.Discovery.DeviceEntry> gpus, CancellationToken cancellation)
    {
        var stopped = new List<Task>();
        long freeing = 0;
        await _lock.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            if (_loading.TryGetValue(request.Name, out var loading))
            {
                return Reservation.Wait(loading.Task);
            }

            if (_loaded.TryGetValue(request.Name, out var existing))
            {
                if (!existing.IsDead && request.IsServedBy(existing.Request.Launch))
                {
                    AddUser(existing);
                    return Reservation.Ready(existing);
                }

                if (!existing.IsDead && existing.Users > 0)
                {
                    // Options changed (num_ctx, ...): reload once the current requests finish.
                    return Reservation.Wait(existing.Idle.Task);
                }

                // Counted before the stop: a runner that is killed can read as exited at once.
                freeing += existing.IsDead ? 0 : existing.SizeBytes;
                stopped.Add(StopLocked(existing, "reload"));
            }

            while (_loaded.Count + _loading.Count >= _settings.MaxLoadedModels)
            {
                var victim = _loaded.Values.Where(m => m.Users == 0 || m.IsDead).OrderBy(m => m.LastUsed).FirstOrDefault();
                if (victim is null)
                {
                    var busy = _loaded.Values.Select(m => m.Idle.Task).Concat(_loading.Values.Select(l => (Task)l.Task));
                    return Reservation.Wait(Task.WhenAny(busy));
                }

                freeing += victim.IsDead ? 0 : victim.SizeBytes;
                stopped.Add(StopLocked(victim, "evict"));
            }

            // What the GPUs will hold counts like memory being freed: the system memory check is for the rest.
            var (launch, need) = PlanLocked(request, freeing + GpuHeldBytesLocked(request, gpus));
            var gpu = FitGpuLocked(request, launch, gpus, stopped);
            var load = LoadAsync(request, launch, gpu, Task.WhenAll(stopped));
            _loading[request.Name] = (load, need);
            _loadingGpu[request.Name] = gpu ?? GpuPlan.None;
            return Reservation.Loading(load);
        }
        finally
        {
            _lock.Release();
        }
    }

    private void AddUser(LoadedModel model)
    {
        if (model.Users++ == 0)
        {
            model.Idle = LoadedModel.NewIdle(completed: false);
        }

        model.ExpiresAt = DateTimeOffset.MaxValue;
        model.LastUsed = ++_clock;
    }

    /// <summary>
    /// The memory check and the parallel choice, under the lock (memory promised to loads still running counts as used;
    /// <paramref name="freeing"/>, held by runners this load just stopped and whose exit it waits for, as free).
    /// </summary>
    private (RunnerLaunchOptions Launch, long Need) PlanLocked(ModelLoadRequest request, long freeing)
    {
        var parallel = _settings.NumParallel > 0 ? _settings.NumParallel : 1;
        var need = request.ModelBytes + (request.KvBytesPerToken * request.Launch.ContextPerSlot * parallel);
        var available = _availableMemory();
        if (available > 0)
        {
            available = Math.Max(available + freeing - _loading.Values.Sum(l => l.Need), 1);
        }

        if (_settings.NumParallel == 0)
        {
            // Ollama's auto choice: 4 parallel requests when memory allows, else 1.
            var withFour = request.ModelBytes + (request.KvBytesPerToken * request.Launch.ContextPerSlot * 4);
            if (withFour < available * 0.8)
            {
                parallel = 4;
                need = withFour;
            }
        }

        if (available > 0 && need > available)
        {
            throw new ModelMemoryException(
                $"model requires more system memory ({FormatGiB(need)}) than is available ({FormatGiB(available)})");
        }

        var launch = request.Launch with { Parallel = request.Launch.Embedding ? Math.Max(parallel, 1) : parallel };
        return (launch, need);
    }

    /// <summary>
    /// Starts the runner outside the lock, then registers the model with one user (the request that
    /// started the load). Not tied to that request's cancellation: a load, once begun, finishes.
    /// </summary>
    /// <param name="request">The model to load.</param>
    /// <param name="launch">How to start its runner.</param>
    /// <param name="gpu">The layer placement; null without GPUs.</param>
    /// <param name="replaced">The exits of runners this load evicts or replaces: their memory must be free first.</param>
    private async Task<LoadedModel> LoadAsync(ModelLoadRequest request, RunnerLaunchOptions launch, GpuPlan? gpu, Task replaced)
    {
        await Task.Yield(); // return the task to ReserveAsync before doing any work
        try
        {
            await replaced.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or ObjectDisposedException)
        {
            // A runner that fails to stop cleanly has still been killed; it does not stop this load.
        }

        LogLoading(request.Name, launch.ContextPerSlot, launch.Parallel);
        IModelRunner? runner = null;
        Exception? failure = null;
        using (var deadline = new CancellationTokenSource(_settings.LoadTimeout, _time))
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(_shutdown.Token, deadline.Token))
        {
            try
            {
                runner = await _launcher.StartAsync(WithGpuPlan(launch, gpu), timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!_shutdown.IsCancellationRequested)
            {
                failure = new RunnerException($"timed out waiting for the model to load ({_settings.LoadTimeout})");
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        }

        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            _loading.Remove(request.Name);
            _loadingGpu.Remove(request.Name);
            if (failure is null && _shutdown.IsCancellationRequested)
            {
                failure = new OperationCanceledException("the server is shutting down");
            }

            if (failure is null)
            {
                return RegisterLocked(request, launch, runner!, gpu ?? GpuPlan.None);
            }
        }
        finally
        {
            _lock.Release();
        }

        // A runner that started as the server shut down is stopped outside the lock, like any other.
        if (runner is not null)
        {
            await runner.DisposeAsync().ConfigureAwait(false);
        }

        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        return null!; // not reached: Throw() does not return
    }

    /// <summary>Under the lock: the started runner becomes the loaded model, with the request that loaded it as its user.</summary>
    private LoadedModel RegisterLocked(ModelLoadRequest request, RunnerLaunchOptions launch, IModelRunner runner, GpuPlan gpu)
    {
        var model = new LoadedModel(request with { Launch = launch }, runner, launch.Parallel)
        {
            Gpu = gpu,
            KeepAlive = request.KeepAlive ?? _settings.KeepAlive,
        };
        _loaded[request.Name] = model;
        AddUser(model);
        _ = WatchAsync(model);
        return model;
    }

    private async Task UnreserveWhenLoadedAsync(Task<LoadedModel> load, TimeSpan? keepAlive)
    {
        try
        {
            var model = await load.ConfigureAwait(false);
            await UnreserveAsync(model, keepAlive).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The load failed: there is no user to give back, and nobody left to tell.
        }
    }

    /// <summary>Notices a runner that exits on its own (a crash): its requests fail on their own streams; it is dropped so the next request loads afresh.</summary>
    private async Task WatchAsync(LoadedModel model)
    {
        await model.Runner.Exited.ConfigureAwait(false);
        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_loaded.TryGetValue(model.Name, out var current) && ReferenceEquals(current, model))
            {
                RunnerCrashes++;
                LogRunnerDied(model.Name, model.Runner.ExitReason);
                _loaded.Remove(model.Name);
                model.Idle.TrySetResult();
            }
        }
        finally
        {
            _lock.Release();
        }

        await model.Runner.DisposeAsync().ConfigureAwait(false);
    }

    internal async Task ReleaseAsync(RunnerLease lease)
    {
        lease.Model.Slots.Release();
        await UnreserveAsync(lease.Model, lease.KeepAlive).ConfigureAwait(false);
    }

    private async Task UnreserveAsync(LoadedModel model, TimeSpan? keepAlive)
    {
        Task stopping;
        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            stopping = UnreserveLocked(model, keepAlive);
        }
        finally
        {
            _lock.Release();
        }

        await stopping.ConfigureAwait(false);
    }

    /// <summary>Counts a user out; returns the exit of the runner it stopped (keep_alive 0, dead), else a completed task.</summary>
    private Task UnreserveLocked(LoadedModel model, TimeSpan? keepAlive)
    {
        model.KeepAlive = keepAlive ?? model.KeepAlive;
        model.LastUsed = ++_clock;
        if (--model.Users > 0)
        {
            return Task.CompletedTask;
        }

        if (model.KeepAlive == TimeSpan.Zero || model.IsDead)
        {
            var stopping = _loaded.TryGetValue(model.Name, out var current) && ReferenceEquals(current, model)
                ? StopLocked(model, "keep_alive 0")
                : Task.CompletedTask;
            model.Idle.TrySetResult();
            return stopping;
        }

        model.ExpiresAt = model.KeepAlive == Durations.Forever ? DateTimeOffset.MaxValue : _time.GetUtcNow() + model.KeepAlive;
        model.Idle.TrySetResult();
        return Task.CompletedTask;
    }

    /// <summary>Unloads a model now if idle, or once its current requests finish (keep_alive 0 with no prompt).</summary>
    public async Task UnloadAsync(string name, CancellationToken cancellation)
    {
        var stopping = Task.CompletedTask;
        await _lock.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            if (_loaded.TryGetValue(name, out var model))
            {
                if (model.Users == 0)
                {
                    stopping = StopLocked(model, "requested");
                }
                else
                {
                    model.KeepAlive = TimeSpan.Zero;
                }
            }
        }
        finally
        {
            _lock.Release();
        }

        await stopping.ConfigureAwait(false);
    }

    /// <summary>Sets the expiry of an idle loaded model (a request with keep_alive and no prompt).</summary>
    public async Task<bool> TouchAsync(string name, TimeSpan keepAlive, CancellationToken cancellation)
    {
        await _lock.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            if (!_loaded.TryGetValue(name, out var model) || model.IsDead)
            {
                return false;
            }

            model.KeepAlive = keepAlive;
            if (model.Users == 0)
            {
                model.ExpiresAt = keepAlive == Durations.Forever ? DateTimeOffset.MaxValue : _time.GetUtcNow() + keepAlive;
            }

            return true;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>
    /// Under the lock: forgets the model and kills its runner (the kill itself is immediate). The returned task is the
    /// process's exit, which can take seconds: callers await it after releasing the lock, so stopping one model never
    /// holds up requests for the others.
    /// </summary>
    private Task StopLocked(LoadedModel model, string why)
    {
        LogUnloading(model.Name, why);
        _loaded.Remove(model.Name);
        model.Idle.TrySetResult();
        var stopping = model.Runner.DisposeAsync().AsTask();
        if (!stopping.IsCompleted)
        {
            _stopping.TryAdd(stopping, 0);
            _ = stopping.ContinueWith(t => _stopping.TryRemove(t, out _), TaskScheduler.Default);
        }

        return stopping;
    }

    private async Task ReapExpiredAsync()
    {
        try
        {
            while (await _reapTimer.WaitForNextTickAsync(_shutdown.Token).ConfigureAwait(false))
            {
                await ReapExpiredOnceAsync(_shutdown.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _reapTimer.Dispose();
        }
    }

    /// <summary>One pass of the reaper: unloads the idle models whose keep_alive has run out by the scheduler's clock.</summary>
    internal async Task ReapExpiredOnceAsync(CancellationToken cancellation)
    {
        var stopped = new List<Task>();
        await _lock.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            var now = _time.GetUtcNow();
            foreach (var model in _loaded.Values.Where(m => m.Users == 0 && m.ExpiresAt <= now).ToList())
            {
                stopped.Add(StopLocked(model, "expired"));
            }
        }
        finally
        {
            _lock.Release();
        }

        await Task.WhenAll(stopped).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _shutdown.CancelAsync().ConfigureAwait(false);
        try
        {
            await _reaper.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        // Loads still running see the shutdown token, dispose their runner and end.
        Task[] loads;
        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            loads = [.. _loading.Values.Select(l => (Task)l.Task)];
        }
        finally
        {
            _lock.Release();
        }

        await Task.WhenAll(loads.Select(t => t.ContinueWith(static _ => { }, TaskScheduler.Default))).ConfigureAwait(false);

        // The runners are told to stop under the lock and awaited together outside it.
        Task[] stopping;
        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            stopping = [.. _loaded.Values.Select(m => m.Runner.DisposeAsync().AsTask())];
            _loaded.Clear();
        }
        finally
        {
            _lock.Release();
        }

        await Task.WhenAll(stopping.Concat(_stopping.Keys)).ConfigureAwait(false);
        _shutdown.Dispose();
    }

    private static string FormatGiB(long bytes) => $"{bytes / (1024.0 * 1024 * 1024):0.0} GiB";

    [LoggerMessage(Level = LogLevel.Information, Message = "loading model {Model} (num_ctx {Context}, parallel {Parallel})")]
    private partial void LogLoading(string model, int context, int parallel);

    [LoggerMessage(Level = LogLevel.Information, Message = "unloading model {Model} ({Reason})")]
    private partial void LogUnloading(string model, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "runner for {Model} exited unexpectedly: {Reason}")]
    private partial void LogRunnerDied(string model, string reason);
}
