using System.ClientModel;
using Corral.Testing;
using OpenAI;

namespace Corral.OpenAI.Tests;

/// <summary>A real server with generated models, and SDK options pointing at its /v1.</summary>
public sealed class OpenAIServerFixture : IAsyncLifetime
{
    /// <summary>A Llama-3-shaped chat template; the successor model answers it with the alphabet.</summary>
    public const string ChatTemplate = "{{- range .Messages }}<|start_header_id|>{{ .Role }}<|end_header_id|>\n\n{{ .Content }}<|eot_id|>{{ end }}"
        + "<|start_header_id|>assistant<|end_header_id|>\n\n";

    public IServerUnderTest Server { get; private set; } = null!;

    public OpenAIClientOptions Options { get; private set; } = null!;

    /// <summary>Any key: Corral does not check it, but the SDK insists on one.</summary>
    public ApiKeyCredential Key { get; } = new("corral");

    public async Task InitializeAsync()
    {
        var models = Directory.CreateTempSubdirectory("corral-openai-").FullName;
        await StoreSeeder.SeedAsync(models, "successor-chat", GeneratedModels.Successor, template: ChatTemplate);
        await StoreSeeder.SeedAsync(models, "random", GeneratedModels.Random);
        await StoreSeeder.SeedToolCallerAsync(models);
        await StoreSeeder.SeedAsync(models, "embedder", GeneratedModels.Embedding, family: "bert");
        Server = await InProcessServer.StartAsync(new Dictionary<string, string> { ["OLLAMA_NUM_PARALLEL"] = "2", ["OLLAMA_CONTEXT_LENGTH"] = "1024" }, models);
        Options = new OpenAIClientOptions { Endpoint = new Uri(Server.BaseAddress, "/v1"), NetworkTimeout = TimeSpan.FromMinutes(5) };
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
