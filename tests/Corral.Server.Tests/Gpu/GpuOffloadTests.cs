using System.Text.RegularExpressions;

namespace Corral.Server.Tests.Gpu;

/// <summary>
/// Offloading through the Vulkan build on lavapipe (a Vulkan device that runs on the CPU): the layers really run
/// there (the numbers differ from the CPU build's), num_gpu offloads that many, the scheduler fits layers into the
/// device memory left after OLLAMA_GPU_OVERHEAD, evicts an idle model whose GPU memory a new one needs, and /api/ps
/// and <c>corral ps</c> say where each model is.
/// </summary>
[Collection(SerialCollectionDefinition.Name)]
public sealed class GpuOffloadTests
{
    [LavapipeFact]
    public async Task LayersRunOnTheVulkanDeviceWholeOrInPart()
    {
        double[] onCpu;
        await using (var cpu = await GpuServers.StartAsync(GpuServers.Environment(vulkan: false), ("deep", GpuServers.Deep.Value)))
        {
            Assert.Contains("inference compute: library=cpu", cpu.Log, StringComparison.Ordinal);
            onCpu = await GpuServers.GenerateLogprobsAsync(cpu, "deep");
        }

        await using var server = await GpuServers.StartAsync(GpuServers.Environment(vulkan: true), ("deep", GpuServers.Deep.Value));
        var full = await GpuServers.GenerateLogprobsAsync(server, "deep");
        Assert.Matches($@"inference compute: library={Lavapipe.Backend} id=\d+ name={Lavapipe.DeviceName} description=""[^""]+"" type=i?gpu total=""[0-9.]+ GiB"" available=""[0-9.]+ GiB""", server.Log);
        if (!Lavapipe.Native)
        {
            Assert.Contains("description=\"llvmpipe", server.Log, StringComparison.Ordinal);
        }

        Assert.Equal(GpuServers.Layers, GpuServers.RunnerGpuLayers(server));
        var (size, vram) = (await GpuServers.PsAsync(server, "deep"))!.Value;
        Assert.True(size > 0);
        Assert.Equal(size, vram);
        Assert.Contains("100% GPU", await GpuServers.CliPsAsync(server), StringComparison.Ordinal);

        // The same greedy tokens computed on another device: equal-length, different in the low bits.
        Assert.Equal(onCpu.Length, full.Length);
        Assert.NotEqual(onCpu, full);

        var partial = await GpuServers.GenerateLogprobsAsync(server, "deep", numGpu: 3);
        Assert.Equal(3, GpuServers.RunnerGpuLayers(server));
        (size, vram) = (await GpuServers.PsAsync(server, "deep"))!.Value;
        Assert.InRange(vram, 1, size - 1);
        Assert.Matches(new Regex(@"deep:latest\s.*\s(\d+)%/(\d+)% CPU/GPU\s"), await GpuServers.CliPsAsync(server));
        Assert.NotEqual(onCpu, partial);
        Assert.NotEqual(full, partial);

        await GpuServers.GenerateLogprobsAsync(server, "deep", numGpu: 0);
        Assert.Equal(0, GpuServers.RunnerGpuLayers(server));
        (_, vram) = (await GpuServers.PsAsync(server, "deep"))!.Value;
        Assert.Equal(0, vram);
        Assert.Contains("100% CPU", await GpuServers.CliPsAsync(server), StringComparison.Ordinal);
    }

    [LavapipeFact]
    public async Task LayersAreFittedIntoTheDeviceMemoryLeft()
    {
        // Room for the compute buffer, the output layer and three blocks, and half a block more: four layers fit.
        var room = GpuServers.BytesForLayers(4) + ((GpuServers.BytesForLayers(5) - GpuServers.BytesForLayers(4)) / 2);
        await using var server = await GpuServers.StartAsync(GpuServers.Environment(vulkan: true, overhead: Lavapipe.FreeBytes - room), ("deep", GpuServers.Deep.Value));
        await GpuServers.GenerateLogprobsAsync(server, "deep");
        Assert.Equal(4, GpuServers.RunnerGpuLayers(server));
        Assert.Contains($"placing model deep:latest: 4/{GpuServers.Layers} layers on {Lavapipe.DeviceName}", server.Log, StringComparison.Ordinal);
        var (size, vram) = (await GpuServers.PsAsync(server, "deep"))!.Value;
        Assert.InRange(vram, 1, size - 1);
        Assert.Matches(@"deep:latest\s.*% CPU/GPU\s", await GpuServers.CliPsAsync(server));
    }

    [LavapipeFact]
    public async Task AModelThatNeedsTheGpuMemoryOfAnIdleOneEvictsIt()
    {
        // Room for one of the two (same-sized) models whole, not both.
        var room = GpuServers.BytesForLayers(GpuServers.Layers) * 3 / 2;
        await using var server = await GpuServers.StartAsync(
            GpuServers.Environment(vulkan: true, overhead: Lavapipe.FreeBytes - room),
            ("first", GpuServers.Deep.Value),
            ("second", GpuServers.DeepOther.Value));
        await GpuServers.GenerateLogprobsAsync(server, "first");
        Assert.NotNull(await GpuServers.PsAsync(server, "first"));

        await GpuServers.GenerateLogprobsAsync(server, "second");
        Assert.Null(await GpuServers.PsAsync(server, "first"));
        var (size, vram) = (await GpuServers.PsAsync(server, "second"))!.Value;
        Assert.Equal(size, vram);
        Assert.Contains("unloading model first:latest (evict: its GPU memory is needed)", server.Log, StringComparison.Ordinal);
        Assert.Equal(GpuServers.Layers, GpuServers.RunnerGpuLayers(server));
    }

    [LavapipeFact]
    public async Task FlashAttentionAndAQuantizedKvCacheRunOnTheDevice()
    {
        var env = GpuServers.Environment(vulkan: true);
        env["OLLAMA_FLASH_ATTENTION"] = "1";
        env["OLLAMA_KV_CACHE_TYPE"] = "q8_0";
        await using var server = await GpuServers.StartAsync(env, ("deep", GpuServers.Deep.Value));
        var logprobs = await GpuServers.GenerateLogprobsAsync(server, "deep");
        Assert.Equal(9, logprobs.Length);
        Assert.All(logprobs, l => Assert.InRange(l, double.MinValue, 0));
        Assert.Equal(GpuServers.Layers, GpuServers.RunnerGpuLayers(server));
        var (size, vram) = (await GpuServers.PsAsync(server, "deep"))!.Value;
        Assert.Equal(size, vram);
    }
}
