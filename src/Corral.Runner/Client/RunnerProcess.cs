using System.Diagnostics;
using Corral.Runner.Hosting;
using Corral.Runner.Protocol;

namespace Corral.Runner.Client;

/// <summary>
/// A started <c>corral runner</c> child process: waits until it reports ready (or fails),
/// notices when it exits, and kills it on dispose — unloading a model is ending its process.
/// </summary>
public sealed class RunnerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _socketDirectory;
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Text.StringBuilder _stderrTail = new();

    private RunnerProcess(Process process, string socketDirectory, RunnerClient client, RunnerLaunchOptions options)
    {
        _process = process;
        _socketDirectory = socketDirectory;
        Client = client;
        Options = options;
    }

    public RunnerClient Client { get; }

    public RunnerLaunchOptions Options { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _exited.Task.IsCompleted || ProcessHasExited();

    private bool ProcessHasExited()
    {
        try
        {
            return _process.HasExited;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    /// <summary>Completes when the process ends for any reason.</summary>
    public Task Exited => _exited.Task;

    public long LoadDuration { get; private set; }

    /// <summary>The last lines the runner wrote to stderr (llama.cpp's own reasons for failing land there).</summary>
    public string StderrTail
    {
        get
        {
            lock (_stderrTail)
            {
                return _stderrTail.ToString();
            }
        }
    }

    /// <summary>
    /// Starts a runner for <paramref name="modelPath"/> and waits until it is ready.
    /// <paramref name="progress"/> receives load progress (0..1).
    /// </summary>
    public static async Task<RunnerProcess> StartAsync(RunnerLaunchOptions launch, IProgress<float>? progress, CancellationToken cancellation)
    {
        // Unix socket paths are limited to ~107 bytes: keep them short, in a private folder.
        var dir = Directory.CreateTempSubdirectory("corral-");
        var options = launch with { SocketPath = Path.Combine(dir.FullName, "r.sock"), ExitWithStdin = true };
        var info = CorralSelfCommand.StartInfo(options.ToArguments());
        info.RedirectStandardInput = true; // the lifeline: held open, never written, closed when this process ends
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var client = new RunnerClient(options.SocketPath);
        var runner = new RunnerProcess(process, dir.FullName, client, options);
        process.Exited += (_, _) => runner._exited.TrySetResult();
        process.ErrorDataReceived += (_, e) => runner.CaptureStderr(e.Data);
        process.OutputDataReceived += (_, e) => runner.CaptureStderr(e.Data);
        if (!process.Start())
        {
            throw new RunnerException("could not start the model runner process");
        }

        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            await runner.WaitReadyAsync(progress, cancellation).ConfigureAwait(false);
            return runner;
        }
        catch
        {
            await runner.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task WaitReadyAsync(IProgress<float>? progress, CancellationToken cancellation)
    {
        var delay = TimeSpan.FromMilliseconds(10);
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            if (HasExited)
            {
                throw new RunnerException(FailureReason("model runner exited while loading"));
            }

            RunnerHealth? health = null;
            if (File.Exists(Options.SocketPath))
            {
                try
                {
                    health = await Client.HealthAsync(cancellation).ConfigureAwait(false);
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }
            }

            if (health is not null)
            {
                progress?.Report(health.Progress);
                if (health.Status == RunnerHealth.Ready)
                {
                    LoadDuration = health.LoadDuration;
                    return;
                }

                if (health.Status == RunnerHealth.Failed)
                {
                    throw new RunnerException($"unable to load model: {health.Error}");
                }
            }

            await Task.WhenAny(Task.Delay(delay, cancellation), _exited.Task).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 1.5, 100));
        }
    }

    private string FailureReason(string what)
    {
        var tail = StderrTail.Trim();
        var code = HasExited ? _process.ExitCode : 0;
        return tail.Length == 0 ? $"{what} (exit code {code})" : $"{what} (exit code {code}): {LastLine(tail)}";
    }

    private static string LastLine(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? string.Empty : lines[^1];
    }

    private void CaptureStderr(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_stderrTail)
        {
            _stderrTail.AppendLine(line);
            if (_stderrTail.Length > 8192)
            {
                _stderrTail.Remove(0, _stderrTail.Length - 4096);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!HasExited)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }

            await Task.WhenAny(_exited.Task, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_socketDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
