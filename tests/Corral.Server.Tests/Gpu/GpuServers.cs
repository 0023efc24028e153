using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Corral.Models.Gguf;
using Corral.Server.Scheduling.Gpu;
using Corral.TestModels;
using Corral.Testing;

namespace Corral.Server.Tests.Gpu;

/// <summary>Models, servers and requests shared by the GPU tests: small, since lavapipe runs a layer about 10x slower than the CPU build.</summary>
internal static class GpuServers
{
    private static readonly string Folder = TempFolders.Create("corral-gpu-models-");

    /// <summary>A random F16 llama with 8 blocks (9 offloadable layers with the output layer); heads of 32, so a q8_0 KV cache fits them.</summary>
    public static readonly Lazy<string> Deep = new(() => Write("deep.gguf", 1));

    /// <summary>The same shape with other weights: a second model for eviction.</summary>
    public static readonly Lazy<string> DeepOther = new(() => Write("deep-other.gguf", 2));

    public const int Layers = 9;

    public const int Context = 256;

    /// <summary>
    /// A server on the GPU build (<paramref name="vulkan"/>: lavapipe, or the machine's own with CORRAL_TEST_GPU=native)
    /// or on the CPU build; one slot of <see cref="Context"/> tokens, so the KV cache and thus the fitting are fixed.
    /// </summary>
    public static Dictionary<string, string> Environment(bool vulkan, long? overhead = null)
    {
        // The CPU side loads the CPU build by name, whatever GPU the machine has.
        var env = vulkan
            ? new Dictionary<string, string>(Lavapipe.Environment) { ["CORRAL_LLAMA_LIB_DIR"] = "" }
            : new Dictionary<string, string> { ["CORRAL_LLAMA_LIB_DIR"] = Path.Combine(Corral.Llama.Native.NativeLibraryLocator.CacheFolder(System.Environment.GetEnvironmentVariable), "libs") };
        env["OLLAMA_NUM_PARALLEL"] = "1";
        env["OLLAMA_CONTEXT_LENGTH"] = Context.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (overhead is { } o)
        {
            env["OLLAMA_GPU_OVERHEAD"] = o.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return env;
    }

    public static async Task<IServerUnderTest> StartAsync(Dictionary<string, string> environment, params (string Name, string Path)[] models)
    {
        var store = Directory.CreateTempSubdirectory("corral-gpu-store-").FullName;
        foreach (var (name, path) in models)
        {
            await StoreSeeder.SeedAsync(store, name, path, template: "{{ .Prompt }}");
        }

        return await InProcessServer.StartAsync(environment, store);
    }

    /// <summary>Three greedy tokens with their log-probabilities: the numbers show on which device the layers ran.</summary>
    public static async Task<double[]> GenerateLogprobsAsync(IServerUnderTest server, string model, int? numGpu = null)
    {
        using var http = server.CreateClient();
        var options = new JsonObject { ["temperature"] = 0, ["num_predict"] = 3 };
        if (numGpu is { } n)
        {
            options["num_gpu"] = n;
        }

        var body = new JsonObject { ["model"] = model, ["prompt"] = "hello there", ["stream"] = false, ["logprobs"] = true, ["top_logprobs"] = 3, ["options"] = options };
        using var response = await http.PostAsJsonAsync("/api/generate", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        var json = JsonNode.Parse(text)!;
        return [.. json["logprobs"]!.AsArray().SelectMany(t => t!["top_logprobs"]!.AsArray().Select(a => a!["logprob"]!.GetValue<double>()))];
    }

    /// <summary>/api/ps's entry for <paramref name="model"/>: (size, size_vram), or null when it is not loaded.</summary>
    public static async Task<(long Size, long SizeVram)?> PsAsync(IServerUnderTest server, string model)
    {
        using var http = server.CreateClient();
        var json = JsonNode.Parse(await http.GetStringAsync("/api/ps"))!;
        var entry = json["models"]!.AsArray().FirstOrDefault(m => m!["name"]!.GetValue<string>().StartsWith(model + ":", StringComparison.Ordinal));
        return entry is null ? null : (entry["size"]!.GetValue<long>(), entry["size_vram"]!.GetValue<long>());
    }

    /// <summary>The output of <c>corral ps</c> (the real CLI, a client of <paramref name="server"/>).</summary>
    public static async Task<string> CliPsAsync(IServerUnderTest server)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(CorralPaths.CorralDll);
        info.ArgumentList.Add("ps");
        info.Environment["OLLAMA_HOST"] = server.HostAndPort;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await stderr);
        return await stdout;
    }

    /// <summary>The --n-gpu-layers the server gave its (only) runner, read from the runner's command line.</summary>
    public static int RunnerGpuLayers(IServerUnderTest server)
    {
        var pid = Assert.Single(server.RunnerProcessIds());
        var args = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
        return int.Parse(args[Array.IndexOf(args, "--n-gpu-layers") + 1], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>What the scheduler counts for the top <paramref name="layers"/> layers of <see cref="Deep"/> plus the compute buffer.</summary>
    public static long BytesForLayers(int layers)
    {
        var gguf = GgufReader.Read(Deep.Value);
        var shape = ModelGpuShape.From(gguf, "llama", KvBytesPerToken(gguf));
        long bytes = GpuLayerFitter.ComputeBufferBytes(shape, Context, 512);
        for (var k = 0; k < layers; k++)
        {
            bytes += k == 0 ? shape.OutputBytes : shape.BlockBytes[shape.BlockBytes.Count - k] + (shape.KvBytesPerTokenPerBlock * Context);
        }

        return bytes;
    }

    // f16 K and V: 2 × blocks × kv heads × head size × 2 bytes, as ResolvedModel.KvBytesPerToken computes it.
    private static long KvBytesPerToken(GgufFile gguf)
    {
        var blocks = gguf.GetUInt32("llama.block_count");
        var embd = gguf.GetUInt32("llama.embedding_length");
        var heads = gguf.GetUInt32("llama.attention.head_count");
        var kvHeads = gguf.GetUInt32("llama.attention.head_count_kv");
        return 2L * blocks * (embd / heads * kvHeads) * 2;
    }

    private static string Write(string name, ulong seed)
    {
        var path = Path.Combine(Folder, name);
        TestModelWriter.WriteRandomF16(path, TestModelWriter.RandomShape with { BlockCount = Layers - 1, HeadCount = 2, HeadCountKv = 1 }, seed);
        return path;
    }
}
