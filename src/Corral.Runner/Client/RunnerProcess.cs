using System.Diagnostics;
using Corral.Runner.Hosting;
using Corral.Runner.Protocol;
using Microsoft.Extensions.Logging;

namespace Corral.Runner.Client;

/// <summary>
/// A started <c>corral runner</c> child process: waits until it reports ready (or fails),
/// notices when it exits, and kills it on dispose — unloading a model is ending its process.
/// </summary>
public sealed class RunnerProcess : IModelRunner
{
    private readonly Process _process;
    private readonly string _socketDirectory;
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Text.StringBuilder _stderrTail = new();
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int? _exitCode;
    private RunnerOutputLog? _outputLog;

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
    /// Starts a runner for <paramref name="launch"/>'s <see cref="RunnerLaunchOptions.ModelPath"/> and waits until it is ready.
    /// <paramref name="progress"/> receives load progress (0..1).
    /// </summary>
    public static Task<RunnerProcess> StartAsync(RunnerLaunchOptions launch, IProgress<float>? progress, CancellationToken cancellation) =>
        StartAsync(launch, EnvironmentSource.Process, progress, outputLog: null, cancellation);

    /// <summary>
    /// <see cref="StartAsync(RunnerLaunchOptions, IProgress{float}?, CancellationToken)"/>, with the runner's output
    /// (its log, llama.cpp's, anything on stderr) forwarded line by line to <paramref name="outputLog"/> (<see cref="RunnerOutputLog"/>).
    /// </summary>
    public static Task<RunnerProcess> StartAsync(RunnerLaunchOptions launch, IProgress<float>? progress, ILogger? outputLog, CancellationToken cancellation) =>
        StartAsync(launch, EnvironmentSource.Process, progress, outputLog, cancellation);

    /// <summary>
    /// Starts a runner for <paramref name="launch"/>'s <see cref="RunnerLaunchOptions.ModelPath"/> with
    /// <paramref name="environment"/>'s variables and waits until it is ready. <paramref name="progress"/> receives
    /// load progress (0..1); the runner's output goes line by line to <paramref name="outputLog"/> when there is one.
    /// </summary>
    public static async Task<RunnerProcess> StartAsync(RunnerLaunchOptions launch, EnvironmentSource environment, IProgress<float>? progress, ILogger? outputLog, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(environment);

        // Unix socket paths are limited to ~107 bytes: keep them short, in a private folder.
        var dir = Directory.CreateTempSubdirectory("corral-");
        var options = launch with { SocketPath = Path.Combine(dir.FullName, "r.sock"), ExitWithStdin = true };
        var info = CorralSelfCommand.StartInfo(options.ToArguments(), environment);
        info.RedirectStandardInput = true; // the lifeline: held open, never written, closed when this process ends
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var client = new RunnerClient(options.SocketPath);
        var runner = new RunnerProcess(process, dir.FullName, client, options);
        process.Exited += (_, _) => _ = runner.OnExitedAsync();
        process.ErrorDataReceived += (_, e) => runner.CaptureOutput(e.Data, runner._stderrClosed);
        process.OutputDataReceived += (_, e) => runner.CaptureOutput(e.Data, runner._stdoutClosed);
        if (!process.Start())
        {
            throw new RunnerException("could not start the model runner process");
        }

        if (outputLog is not null)
        {
            runner._outputLog = new RunnerOutputLog(outputLog, process.Id);
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
                await Task.WhenAny(_exited.Task, Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None)).ConfigureAwait(false);
                throw new RunnerException("model failed to load: " + ExitReason);
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
                    throw new RunnerException($"unable to load model: {health.Error}") { IsBadRequest = health.Refused };
                }
            }

            await Task.WhenAny(Task.Delay(delay, cancellation), _exited.Task).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 1.5, 100));
        }
    }

    /// <summary>
    /// Why the process ended, for a client: how ("the model runner crashed (SIGABRT)") and llama.cpp's own line from
    /// the stderr tail (a GGML_ASSERT, an uncaught exception, a load error), e.g. "the model runner crashed (SIGABRT):
    /// .../llama-vocab.cpp:2539: GGML_ASSERT(id_to_token.size() == token_to_id.size()) failed".
    /// </summary>
    public string ExitReason
    {
        get
        {
            var how = "the model runner " + (_exitCode is { } code ? NativeFailureText.HowItEnded(code) : "stopped");
            return NativeFailureText.Reason(StderrTail) is { } reason ? $"{how}: {reason}" : how;
        }
    }

    /// <summary>
    /// <see cref="Exited"/> completes once the process has ended and its output is read to the end (or a second later,
    /// should something else hold the pipes), so <see cref="ExitReason"/> sees llama.cpp's last words.
    /// </summary>
    private async Task OnExitedAsync()
    {
        await Task.WhenAny(Task.WhenAll(_stderrClosed.Task, _stdoutClosed.Task), Task.Delay(TimeSpan.FromSeconds(1))).ConfigureAwait(false);
        try
        {
            _exitCode = _process.ExitCode;
        }
        catch (InvalidOperationException)
        {
            // Disposed meanwhile: the reason goes without the exit status.
        }

        _exited.TrySetResult();
    }

    private void CaptureOutput(string? line, TaskCompletionSource closed)
    {
        if (line is null)
        {
            closed.TrySetResult();
            if (_stderrClosed.Task.IsCompleted && _stdoutClosed.Task.IsCompleted)
            {
                _outputLog?.Complete();
            }

            return;
        }

        _outputLog?.Add(line);

        lock (_stderrTail)
        {
            _stderrTail.AppendLine(line);
            if (_stderrTail.Length > 8192)
            {
                _stderrTail.Remove(0, _stderrTail.Length - 4096);
            }
        }
    }

    /// <summary>
    /// Stops the runner once, however many callers ask (the scheduler's unload and its crash watch can both): a second
    /// call waits for the first, instead of racing it to dispose the process and its pipes.
    /// </summary>
    public ValueTask DisposeAsync()
    {
        var disposal = new Lazy<Task>(StopAsync);
        return new ValueTask((Interlocked.CompareExchange(ref _disposal, disposal, null) ?? disposal).Value);
    }

    private Lazy<Task>? _disposal;

    private async Task StopAsync()
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
        }

        // Also when the process has already ended: until Exited completes, its exit status is not read yet, and a
        // process disposed before that leaves ExitReason without it ("stopped" instead of "crashed (SIGABRT)").
        await Task.WhenAny(_exited.Task, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
        _process.Dispose();
        _outputLog?.Complete();
        try
        {
            Directory.Delete(_socketDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
