using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Corral.Models.Names;
using Corral.Models.Store;
using Corral.Testing;
using Corral.Testing.Registry;
using Microsoft.Playwright;

namespace Corral.WebUi.Tests;

/// <summary>
/// One real server (in this process, <see cref="InProcessServer"/>) with generated models (answers known in advance), a
/// real docker-registry holding one model to pull, and one headless Chromium; shared by the page's test classes.
/// </summary>
public sealed class WebUiFixture : IAsyncLifetime
{
    /// <summary>A Llama-3-shaped chat template: its assistant header ends in "\n\n".</summary>
    public const string ChatTemplate = "{{- if .System }}<|start_header_id|>system<|end_header_id|>\n\n{{ .System }}<|eot_id|>{{ end }}"
        + "{{- range .Messages }}{{ if ne .Role \"system\" }}<|start_header_id|>{{ .Role }}<|end_header_id|>\n\n{{ .Content }}<|eot_id|>{{ end }}{{ end }}"
        + "<|start_header_id|>assistant<|end_header_id|>\n\n";

    /// <summary>Answers any chat turn with the alphabet (26 tokens).</summary>
    public const string Alphabet = "successor-chat:latest";

    /// <summary>The prompt is the messages' text alone, so a message ending in a digit is answered with digits forever.</summary>
    public const string Counter = "counter:latest";

    public const string Thinker = "thinker:latest";

    /// <summary>Answers with <see cref="Corral.TestModels.HostileMarkupModel.Answer"/>.</summary>
    public const string Hostile = "hostile:latest";

    /// <summary>The vision model (random text weights + projector), limited to 8 tokens per answer.</summary>
    public const string Vision = "vision:latest";

    public IServerUnderTest Server { get; private set; } = null!;

    public LocalRegistry Registry { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>A model that is in <see cref="Registry"/> and not on the server, and its weights' size.</summary>
    public string PullableName { get; private set; } = null!;

    public TestModelArtifacts Pullable { get; private set; } = null!;

    private IPlaywright? _playwright;

    public async Task InitializeAsync()
    {
        var models = Directory.CreateTempSubdirectory("corral-webui-").FullName;
        await StoreSeeder.SeedAsync(models, Alphabet, GeneratedModels.Successor, template: ChatTemplate, paramsJson: "{\"temperature\":0}");
        await StoreSeeder.SeedAsync(models, Counter, GeneratedModels.Successor, template: "{{ range .Messages }}{{ .Content }}{{ end }}", paramsJson: "{\"temperature\":0}");
        await StoreSeeder.SeedThinkerAsync(models, Thinker);
        await StoreSeeder.SeedAsync(models, Hostile, GeneratedModels.HostileMarkup, template: ChatTemplate, paramsJson: "{\"temperature\":0}");
        Registry = await LocalRegistry.StartAsync();
        Server = await InProcessServer.StartAsync(new Dictionary<string, string>
        {
            ["OLLAMA_NUM_PARALLEL"] = "1",
            ["OLLAMA_CONTEXT_LENGTH"] = "1024",
            ["OLLAMA_MAX_LOADED_MODELS"] = "6",
        }, models);
        using var http = Server.CreateClient();
        await CreateVisionModelAsync(http);
        await PutModelInRegistryAsync(http, models);
        (_playwright, Browser) = await SystemChromium.LaunchAsync();
    }

    public Task<PageSession> OpenPageAsync(int width = 1280, int height = 800) => PageSession.OpenAsync(Browser, Server.BaseAddress, width, height);

    private static async Task CreateVisionModelAsync(HttpClient http)
    {
        var model = await UploadAsync(http, GeneratedModels.VisionText);
        var projector = await UploadAsync(http, GeneratedModels.VisionProjector);
        using var response = await http.PostAsJsonAsync("/api/create", new Dictionary<string, object>
        {
            ["model"] = Vision,
            ["stream"] = false,
            ["files"] = new Dictionary<string, string> { ["model.gguf"] = model, ["mmproj.gguf"] = projector },
            ["parameters"] = new Dictionary<string, object> { ["num_predict"] = 8, ["temperature"] = 0 },
        });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<string> UploadAsync(HttpClient http, string path)
    {
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path)));
        await using var file = File.OpenRead(path);
        using var response = await http.PostAsync($"/api/blobs/{digest}", new StreamContent(file));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return digest;
    }

    // Written into the server's store, pushed to the registry, then deleted locally: what is left is a model the page
    // can pull.
    private async Task PutModelInRegistryAsync(HttpClient http, string models)
    {
        PullableName = $"{Registry.Host}/corral/pulled:v1";
        Pullable = TestModelArtifacts.Create(size: 4 << 20, seed: 20);
        await Pullable.WriteToAsync(new ModelStore(models), ModelName.ParseValid(PullableName));
        using var push = await http.PostAsJsonAsync("/api/push", new { model = PullableName, insecure = true, stream = false });
        var pushed = await push.Content.ReadAsStringAsync();
        Assert.True(push.IsSuccessStatusCode && JsonDocument.Parse(pushed).RootElement.GetProperty("status").GetString() == "success", pushed);
        using var delete = await http.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/delete") { Content = JsonContent.Create(new { model = PullableName }) });
        Assert.True(delete.IsSuccessStatusCode, await delete.Content.ReadAsStringAsync());
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        if (Registry is not null)
        {
            await Registry.DisposeAsync();
        }
    }
}
