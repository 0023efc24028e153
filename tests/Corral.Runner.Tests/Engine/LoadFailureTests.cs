using System.Diagnostics;
using Corral.Models.Gguf;
using Corral.Runner.Client;
using Corral.Runner.Hosting;
using Corral.Testing;
using Corral.TestModels;

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

    /// <summary>A LoRA adapter llama.cpp refuses fails the load with its reason, marked as the request's fault (a 400).</summary>
    [Fact]
    public async Task An_adapter_llama_cpp_refuses_fails_the_load_as_a_bad_request()
    {
        CorralPaths.UseCorralDllForRunners();
        var adapter = Path.Combine(TempFolders.Create("corral-lora-load-"), "bert.gguf");
        TestModelWriter.WriteSuccessorLora(adapter, 'z', 16, architecture: "bert");

        var error = await Assert.ThrowsAsync<RunnerException>(() => RunnerProcess.StartAsync(
            new RunnerLaunchOptions { ModelPath = GeneratedModels.Successor, SocketPath = string.Empty, ContextPerSlot = 128, AdapterPaths = [adapter] },
            progress: null,
            CancellationToken.None));

        Assert.True(error.IsBadRequest);
        Assert.StartsWith($"unable to load model: Cannot load LoRA adapter '{adapter}'", error.Message);
        Assert.EndsWith("model arch and LoRA arch mismatch", error.Message);
    }

    [Fact]
    public void Adapter_paths_travel_on_the_command_line_in_order()
    {
        var options = new RunnerLaunchOptions { ModelPath = "m.gguf", SocketPath = "r.sock", AdapterPaths = ["b.gguf", "a.gguf"] };
        var parsed = RunnerLaunchOptions.Parse(options.ToArguments().Skip(1).ToList());
        Assert.Equal(["b.gguf", "a.gguf"], parsed.AdapterPaths);
        Assert.Empty(RunnerLaunchOptions.Parse(new RunnerLaunchOptions { ModelPath = "m", SocketPath = "s" }.ToArguments().Skip(1).ToList()).AdapterPaths);
    }

    /// <summary>
    /// ggml prints its assertion, then forks gdb for a backtrace whose last line ("[Inferior 1 (process N) detached]")
    /// used to be all a client saw. Runners are started with GGML_NO_BACKTRACE: the assertion is the last word.
    /// (A nextn_predict_layers above block_count trips GGML_ASSERT(hparams.n_layer_nextn &lt;= hparams.n_layer_all).)
    /// </summary>
    [Fact]
    public async Task An_abort_inside_llama_cpp_prints_its_assertion_and_no_gdb_backtrace()
    {
        CorralPaths.UseCorralDllForRunners();
        var dir = Directory.CreateTempSubdirectory("corral-abort-").FullName;
        var path = Path.Combine(dir, "nextn.gguf");
        BrokenModelWriter.WithMetadata(GeneratedModels.Random, path, "llama.nextn_predict_layers", GgufValue.FromUInt32(5));
        var options = new RunnerLaunchOptions { ModelPath = path, SocketPath = Path.Combine(dir, "r.sock"), ContextPerSlot = 128 };

        using var process = Process.Start(CorralSelfCommand.StartInfo(options.ToArguments(), EnvironmentSource.Process))!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            Directory.Delete(dir, recursive: true);
        }

        var output = await stdout + await stderr;
        Assert.Equal(128 + 6, process.ExitCode); // SIGABRT
        Assert.Contains("GGML_ASSERT(hparams.n_layer_nextn <= hparams.n_layer_all) failed", output);
        Assert.DoesNotContain("[Inferior", output);
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
