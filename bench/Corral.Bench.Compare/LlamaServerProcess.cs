using System.Diagnostics;
using System.Globalization;
using Corral.Testing;

namespace Corral.Bench.Compare;

/// <summary>One llama-server process on a free loopback port; disposing kills it.</summary>
internal sealed class LlamaServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ProcessOutputLog _log;

    private LlamaServerProcess(Process process, ProcessOutputLog log, Uri baseAddress)
    {
        _process = process;
        _log = log;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public int ProcessId => _process.Id;

    /// <summary>llama-server's own "system_info: ..." line (threads and the CPU features of the ggml in use), logged at -lv 4.</summary>
    public string? SystemInfo => LogLine("system_info:") is { } line ? line[line.IndexOf("system_info:", StringComparison.Ordinal)..] : null;

    public string Log => _log.Text;

    /// <summary>
    /// Starts <paramref name="binary"/> serving <paramref name="modelPath"/> with <paramref name="slots"/> slots of
    /// <paramref name="contextPerSlot"/> tokens each and <paramref name="threads"/> threads, plus <paramref name="extraArguments"/>.
    /// </summary>
    public static async Task<LlamaServerProcess> StartAsync(string binary, string modelPath, int slots, int contextPerSlot, int threads, params string[] extraArguments)
    {
        var port = ChildProcessReadiness.FreeLoopbackPort();
        var info = new ProcessStartInfo(binary)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
        foreach (var argument in (string[])[
            "--model", modelPath, "--host", "127.0.0.1", "--port", Invariant(port),
            "--parallel", Invariant(slots), "--ctx-size", Invariant(slots * contextPerSlot),
            "--threads", Invariant(threads), "--threads-batch", Invariant(threads), "--cont-batching",
            .. extraArguments])
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start llama-server");
        var server = new LlamaServerProcess(process, ProcessOutputLog.Capture(process), new Uri($"http://127.0.0.1:{port}/"));
        try
        {
            // /health answers 503 while the model loads, 200 once it can serve.
            await ChildProcessReadiness.WaitForHttpOkAsync(process, new Uri(server.BaseAddress, "/health"), "llama-server", TimeSpan.FromMinutes(3), () => server.Log).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return server;
    }

    /// <summary>
    /// llama-server logs its system_info line only at trace verbosity, which the measured servers are spared: a
    /// short-lived one on <paramref name="modelPath"/> (the tiny embedding model loads in milliseconds) tells it.
    /// </summary>
    public static async Task<string> ProbeSystemInfoAsync(string binary, string modelPath, int threads)
    {
        await using var probe = await StartAsync(binary, modelPath, 1, 512, threads, "--embeddings", "--log-verbosity", "4").ConfigureAwait(false);
        return probe.SystemInfo ?? "(no system_info line in llama-server's log)";
    }

    public HttpClient CreateClient() => BenchHttp.Create(BaseAddress);

    private string? LogLine(string marker) =>
        Log.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Contains(marker, StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process.Dispose();
    }
}
