using System.Diagnostics;

namespace Corral.Testing.Registry;

/// <summary>
/// A real OCI registry (Debian's <c>docker-registry</c>, CNCF distribution 2.8) on a free loopback
/// port with its own temp storage. test.sh installs the package; without it, starting fails with
/// a message that says how to install it.
/// </summary>
public sealed class LocalRegistry : IAsyncDisposable
{
    public const string BinaryPath = "/usr/bin/docker-registry";

    private readonly Process _process;
    private readonly ProcessOutputLog _log;

    private LocalRegistry(Process process, ProcessOutputLog log, int port, string storage)
    {
        _process = process;
        _log = log;
        Port = port;
        StoragePath = storage;
    }

    public int Port { get; }

    /// <summary>host:port, the host part of model names that live in this registry.</summary>
    public string Host => $"127.0.0.1:{Port}";

    public Uri BaseAddress => new($"http://{Host}/");

    public string StoragePath { get; }

    public string Log => _log.Text;

    public static async Task<LocalRegistry> StartAsync()
    {
        if (!File.Exists(BinaryPath))
        {
            throw new InvalidOperationException(
                $"{BinaryPath} is missing: install it with 'apt-get update && apt-get install -y docker-registry' (test.sh does this)");
        }

        var port = ChildProcessReadiness.FreeLoopbackPort();
        var root = Directory.CreateTempSubdirectory("corral-registry-").FullName;
        var storage = Path.Combine(root, "storage");
        Directory.CreateDirectory(storage);
        var config = Path.Combine(root, "config.yml");
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            log:
              level: warn
            storage:
              filesystem:
                rootdirectory: {storage}
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:{port}
            """);

        var info = new ProcessStartInfo(BinaryPath)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("serve");
        info.ArgumentList.Add(config);
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start docker-registry");
        var registry = new LocalRegistry(process, ProcessOutputLog.Capture(process), port, storage);
        await registry.WaitUntilUpAsync();
        return registry;
    }

    private Task WaitUntilUpAsync() =>
        ChildProcessReadiness.WaitForHttpOkAsync(_process, new Uri(BaseAddress, "v2/"), "docker-registry", TimeSpan.FromSeconds(30), () => Log);


    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        try
        {
            Directory.Delete(Path.GetDirectoryName(StoragePath)!, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
