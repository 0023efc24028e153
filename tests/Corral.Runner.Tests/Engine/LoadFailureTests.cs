using System.Diagnostics;
using Corral.Models.Gguf;
using Corral.Runner.Client;
using Corral.Runner.Hosting;
using Corral.Testing;

namespace Corral.Runner.Tests.Engine;

/// <summary>A model llama.cpp cannot load is reported as a clear error, promptly, not as a hang.</summary>
public sealed class LoadFailureTests
{
    [Fact]
    public async Task Gguf_without_tensors_fails_with_the_reason()
    {
        CorralPaths.UseCorralDllForRunners();
        var path = Path.Combine(TempFolders.Create("corral-bad-"), "empty.gguf");
        var writer = new GgufWriter();
        writer.AddString("general.architecture", "llama");
        writer.AddUInt32("llama.block_count", 1);
        writer.WriteTo(path);

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<RunnerException>(() => RunnerProcess.StartAsync(
            new RunnerLaunchOptions { ModelPath = path, SocketPath = string.Empty, ContextPerSlot = 128 },
            progress: null,
            CancellationToken.None));

        Assert.Contains("unable to load model", error.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Missing_file_fails_with_the_reason()
    {
        CorralPaths.UseCorralDllForRunners();
        var error = await Assert.ThrowsAsync<RunnerException>(() => RunnerProcess.StartAsync(
            new RunnerLaunchOptions { ModelPath = "/nonexistent/model.gguf", SocketPath = string.Empty },
            progress: null,
            CancellationToken.None));
        Assert.Contains("unable to load model", error.Message);
    }
}
