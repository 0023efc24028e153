using Corral.Api.Ollama;
using Corral.Server.Tests.Management;
using Corral.Server.Tests.Vision;
using Corral.Testing;

namespace Corral.Server.Tests.Gpu;

/// <summary>
/// libmtmd, compiled against the CPU build's libllama/libggml, loads beside the Vulkan build (links under the CPU
/// names point at the Vulkan libraries) and works in a runner that has the Vulkan backend loaded: an image prompt is
/// answered and reads as many positions as on the CPU build. With num_gpu 0, so the projector runs on the CPU:
/// on lavapipe every new ggml op first costs an LLVM shader compile, and the projector's ops took two minutes cold
/// (the same test with the layers and projector on lavapipe passed; Mesa's shader cache makes reruns ~15 s).
/// </summary>
[Collection(SerialCollectionDefinition.Name)]
public sealed class GpuVisionTests
{
    [LavapipeFact]
    public async Task AnImageIsEncodedWithTheVulkanBuild()
    {
        var image = Convert.ToBase64String(TestImages.Gradient);
        var onCpu = await PromptEvalCountAsync(vulkan: false, image);
        var onGpu = await PromptEvalCountAsync(vulkan: true, image);
        Assert.True(onGpu > 16, $"prompt_eval_count {onGpu}: the image's 16 positions are missing");
        Assert.Equal(onCpu, onGpu);
    }

    private static async Task<long> PromptEvalCountAsync(bool vulkan, string image)
    {
        var fixture = new VisionServer(GpuServers.Environment(vulkan));
        await fixture.InitializeAsync();
        try
        {
            var model = await fixture.UploadAsync(GeneratedModels.VisionText);
            var projector = await fixture.UploadAsync(GeneratedModels.VisionProjector);
            await ServerFixture.CollectAsync(fixture.Client.CreateAsync(new CreateRequest
            {
                Model = "vision",
                Files = new() { ["model.gguf"] = model, ["mmproj.gguf"] = projector },
            }));
            var request = VisionApi.Generate("vision", "what is this?", image);
            request["options"]!["num_gpu"] = 0;
            var (status, body, text) = await VisionApi.PostAsync(fixture.Http, "/api/generate", request);
            Assert.True(status == System.Net.HttpStatusCode.OK, text);
            if (vulkan)
            {
                Assert.Contains($"library={Lavapipe.Backend} id=", fixture.Server.Log, StringComparison.Ordinal);
                Assert.Contains("placing model vision:latest: all layers on the CPU", fixture.Server.Log, StringComparison.Ordinal);
            }

            return body!["prompt_eval_count"]!.GetValue<long>();
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    private sealed class VisionServer(IReadOnlyDictionary<string, string> environment) : ServerFixture
    {
        protected override IReadOnlyDictionary<string, string>? Environment => environment;
    }
}
