using System.Security.Cryptography;
using Corral.Api.Client;
using Corral.Api.Ollama;
using Corral.Testing;
using Corral.TestModels;

namespace Corral.Server.Tests.Inference;

/// <summary>
/// A server with the successor model and LoRA adapters for it whose greedy effect is known
/// (<see cref="TestModelWriter.WriteSuccessorLora"/>): "z" adds 8 × scale to the logit of 'z' after every token,
/// "q" 12 × scale to 'q', against the successor's 4. Models with adapters are made through /api/create, as a user
/// makes them; one with an adapter of another architecture is seeded behind create's back (a store Ollama wrote).
/// </summary>
public sealed class LoraServerFixture : IAsyncLifetime
{
    public IServerUnderTest Server { get; private set; } = null!;

    public OllamaClient Client { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    /// <summary>Adapter files by name: z, q, bert (architecture mismatch), misfit (a tensor the model lacks).</summary>
    public Dictionary<string, string> Adapters { get; } = [];

    public async Task InitializeAsync()
    {
        var folder = TempFolders.Create("corral-lora-");
        Write(folder, "z", p => TestModelWriter.WriteSuccessorLora(p, 'z', boost: 16));
        Write(folder, "q", p => TestModelWriter.WriteSuccessorLora(p, 'q', boost: 24));
        Write(folder, "bert", p => TestModelWriter.WriteSuccessorLora(p, 'z', boost: 16, architecture: "bert"));
        Write(folder, "misfit", TestModelWriter.WriteMisfitLora);
        var models = Path.Combine(folder, "models");
        await StoreSeeder.SeedAsync(models, "succ", GeneratedModels.Successor, template: "{{ .Prompt }}", paramsJson: "{\"temperature\":0}");
        await StoreSeeder.SeedAsync(models, "succ-chat", GeneratedModels.Successor, template: InferenceServerFixture.ChatTemplate, paramsJson: "{\"temperature\":0}");
        await StoreSeeder.SeedAsync(models, "succ-bert-lora", GeneratedModels.Successor, template: "{{ .Prompt }}", paramsJson: "{\"temperature\":0}", adapterPaths: [Adapters["bert"]]);
        await StoreSeeder.SeedAsync(models, "random", GeneratedModels.Random);
        Server = await InProcessServer.StartAsync(new Dictionary<string, string> { ["OLLAMA_NUM_PARALLEL"] = "4", ["OLLAMA_CONTEXT_LENGTH"] = "512", ["OLLAMA_MAX_LOADED_MODELS"] = "4" }, models);
        Http = Server.CreateClient();
        Client = new OllamaClient(Server.CreateClient(), ownsHttpClient: true);

        await CreateWithAdaptersAsync("succ-z", "succ", "z");
        await CreateWithAdaptersAsync("succ-zq", "succ", "z", "q");
        await CreateWithAdaptersAsync("succ-chat-z", "succ-chat", "z");
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        Http.Dispose();
        await Server.DisposeAsync();
    }

    /// <summary>/api/create FROM <paramref name="from"/> with the named adapters, in order; returns the status and error of a refusal.</summary>
    public async Task<(System.Net.HttpStatusCode Status, string? Error)> TryCreateAsync(string name, string from, params string[] adapters)
    {
        var files = new Dictionary<string, string>();
        foreach (var adapter in adapters)
        {
            files[adapter + ".gguf"] = await UploadAsync(Adapters[adapter]);
        }

        return await TryCreateRawAsync(name, from, files);
    }

    /// <summary>Uploads any file as a blob; returns its digest.</summary>
    public Task<string> UploadModelAsync(string path) => UploadAsync(path);

    /// <summary>/api/create FROM <paramref name="from"/> with adapters given as file name → uploaded digest.</summary>
    public async Task<(System.Net.HttpStatusCode Status, string? Error)> TryCreateRawAsync(string name, string from, Dictionary<string, string> files)
    {
        var body = System.Text.Json.JsonSerializer.Serialize(
            new CreateRequest { Model = name, From = from, Adapters = files, Stream = false }, OllamaJsonContext.Default.CreateRequest);
        using var response = await Http.PostAsync("/api/create", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        var error = System.Text.Json.Nodes.JsonNode.Parse(text)?["error"]?.GetValue<string>();
        return (response.StatusCode, error);
    }

    private async Task CreateWithAdaptersAsync(string name, string from, params string[] adapters)
    {
        var (status, error) = await TryCreateAsync(name, from, adapters);
        if (status != System.Net.HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"create {name}: {status} {error}");
        }
    }

    private async Task<string> UploadAsync(string path)
    {
        string digest;
        using (var file = File.OpenRead(path))
        {
            digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(file));
        }

        if (!await Client.HeadBlobAsync(digest))
        {
            await using var file = File.OpenRead(path);
            await Client.PushBlobAsync(digest, file);
        }

        return digest;
    }

    private void Write(string folder, string name, Action<string> writer)
    {
        var path = Path.Combine(folder, name + ".gguf");
        writer(path);
        Adapters[name] = path;
    }
}
