using Corral.Api.Ollama;
using Corral.Server.Tests.Management;
using Corral.Testing;

namespace Corral.Server.Tests.Vision;

/// <summary>
/// A server with the generated vision model created through /api/create (text model + projector, as
/// `ollama create` sends them) and a text-only model. One slot, so consecutive requests meet the prefix cache.
/// </summary>
public sealed class VisionFixture : ServerFixture, IAsyncLifetime
{
    public const string Vision = "vision";
    public const string TextOnly = "text-only";

    protected override IReadOnlyDictionary<string, string>? Environment => new Dictionary<string, string>
    {
        ["OLLAMA_NUM_PARALLEL"] = "1",
        ["OLLAMA_CONTEXT_LENGTH"] = "512",
    };

    public List<ProgressResponse> VisionCreateProgress { get; private set; } = [];

    // Re-implements IAsyncLifetime so xunit calls this, which starts the server first.
    public new async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var model = await UploadAsync(GeneratedModels.VisionText);
        var projector = await UploadAsync(GeneratedModels.VisionProjector);
        VisionCreateProgress = await CollectAsync(Client.CreateAsync(new CreateRequest
        {
            Model = Vision,
            Files = new() { ["model.gguf"] = model, ["mmproj.gguf"] = projector },
        }));
        await CreateFromFileAsync(TextOnly, GeneratedModels.VisionText);
    }
}
