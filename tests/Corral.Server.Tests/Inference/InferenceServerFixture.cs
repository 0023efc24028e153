using Corral.Api.Client;
using Corral.Testing;

namespace Corral.Server.Tests.Inference;

/// <summary>One real server (in the test host) with the generated models seeded into its store.</summary>
public class InferenceServerFixture : IAsyncLifetime
{
    /// <summary>A Llama-3-shaped chat template; its assistant header ends in "\n\n", so the successor model answers the alphabet.</summary>
    public const string ChatTemplate = "{{- if .System }}<|start_header_id|>system<|end_header_id|>\n\n{{ .System }}<|eot_id|>{{ end }}"
        + "{{- range .Messages }}{{ if ne .Role \"system\" }}<|start_header_id|>{{ .Role }}<|end_header_id|>\n\n{{ .Content }}<|eot_id|>{{ end }}{{ end }}"
        + "<|start_header_id|>assistant<|end_header_id|>\n\n";

    /// <summary>A fill-in-the-middle template: it reads .Suffix, so a model with it has the insert capability.</summary>
    public const string InsertTemplate = "{{ if .Suffix }}<PRE> {{ .Prompt }} <SUF>{{ .Suffix }} <MID>{{ else }}{{ .Prompt }}{{ end }}";

    public IServerUnderTest Server { get; private set; } = null!;

    public OllamaClient Client { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var models = Directory.CreateTempSubdirectory("corral-e2e-").FullName;
        await StoreSeeder.SeedAsync(models, "successor", GeneratedModels.Successor, template: "{{ .Prompt }}", paramsJson: "{\"temperature\":0}");
        await StoreSeeder.SeedAsync(models, "successor-chat", GeneratedModels.Successor, template: ChatTemplate, system: "be brief", paramsJson: "{\"temperature\":0}");
        await StoreSeeder.SeedAsync(models, "successor-fim", GeneratedModels.Successor, template: InsertTemplate, paramsJson: "{\"temperature\":0}");
        await StoreSeeder.SeedToolCallerAsync(models);
        await StoreSeeder.SeedAsync(models, "random", GeneratedModels.Random);
        await StoreSeeder.SeedAsync(models, "embedder", GeneratedModels.Embedding, family: "bert");
        Server = await StartAsync(new Dictionary<string, string> { ["OLLAMA_NUM_PARALLEL"] = "4", ["OLLAMA_CONTEXT_LENGTH"] = "1024" }, models);
        Http = Server.CreateClient();
        Client = new OllamaClient(Server.CreateClient(), ownsHttpClient: true);
    }

    protected virtual async Task<IServerUnderTest> StartAsync(IReadOnlyDictionary<string, string> environment, string modelsPath) =>
        await InProcessServer.StartAsync(environment, modelsPath);

    public async Task DisposeAsync()
    {
        Client.Dispose();
        Http.Dispose();
        await Server.DisposeAsync();
    }
}

/// <summary>The same server as a <c>corral serve</c> process, for the tests that measure the server process's own memory.</summary>
public sealed class InferenceServerProcessFixture : InferenceServerFixture
{
    public ServerProcess Process => (ServerProcess)Server;

    protected override async Task<IServerUnderTest> StartAsync(IReadOnlyDictionary<string, string> environment, string modelsPath) =>
        await ServerProcess.StartAsync(environment, modelsPath);
}
