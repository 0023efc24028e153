using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Corral.Server.OpenAI.Responses;

/// <summary>
/// The background responses running in this server: each runs on its own token, not the request's, and can be
/// cancelled by id. When the server stops, all are stopped and the shutdown waits (briefly) until each has
/// written its final state.
/// </summary>
public sealed partial class BackgroundResponses
{
    private static readonly TimeSpan StopPatience = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<string, Running> _running = new(StringComparer.Ordinal);

    private readonly ILogger<BackgroundResponses> _logger;

    public BackgroundResponses(IHostApplicationLifetime lifetime, ILogger<BackgroundResponses> logger)
    {
        _logger = logger;
        lifetime.ApplicationStopping.Register(StopAll);
    }

    /// <summary>A server fault ended a background response: its row says only that, the log has the details.</summary>
    public void Failed(string id, Exception ex) => LogFailed(_logger, id, ex);

    /// <summary>Starts <paramref name="work"/> for response <paramref name="id"/>; the token it gets fires on cancel or shutdown.</summary>
    public void Start(string id, Func<BackgroundCancellation, Task> work)
    {
        var running = new Running();
        _running[id] = running;
        running.Task = Task.Run(async () =>
        {
            try
            {
                await work(running.Cancellation).ConfigureAwait(false);
            }
            finally
            {
                _running.TryRemove(id, out _);
                running.Cancellation.Dispose();
            }
        });
    }

    /// <summary>Asks a running response to stop and waits until it has stored its state; false when it is not running here.</summary>
    public async Task<bool> CancelAsync(string id)
    {
        if (!_running.TryGetValue(id, out var running))
        {
            return false;
        }

        running.Cancellation.Cancel(byClient: true);
        if (running.Task is { } task)
        {
            await task.WaitAsync(StopPatience).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        return true;
    }

    private void StopAll()
    {
        var tasks = new List<Task>();
        foreach (var running in _running.Values)
        {
            running.Cancellation.Cancel(byClient: false);
            if (running.Task is { } task)
            {
                tasks.Add(task);
            }
        }

        Task.WhenAll(tasks).Wait(StopPatience);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "background response {Id} failed")]
    private static partial void LogFailed(ILogger logger, string id, Exception ex);

    private sealed class Running
    {
        public BackgroundCancellation Cancellation { get; } = new();

        public Task? Task { get; set; }
    }
}
