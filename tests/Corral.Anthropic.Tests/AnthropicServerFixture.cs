using Anthropic;
using Anthropic.Core;
using Corral.Testing;

namespace Corral.Anthropic.Tests;

/// <summary>A real server with generated models, and an SDK client pointing at it.</summary>
public sealed class AnthropicServerFixture : IAsyncLifetime
{
    /// <summary>A Llama-3-shaped chat template; the successor model answers it with the alphabet.</summary>
    public const string ChatTemplate = "{{- if .System }}<|start_header_id|>system<|end_header_id|>\n\n{{ .System }}<|eot_id|>{{ end }}"
        + "{{- range .Messages }}{{ if ne .Role \"system\" }}<|start_header_id|>{{ .Role }}<|end_header_id|>\n\n{{ .Content }}<|eot_id|>{{ end }}{{ end }}"
        + "<|start_header_id|>assistant<|end_header_id|>\n\n";

    public IServerUnderTest Server { get; private set; } = null!;

    /// <summary>Any key: without CORRAL_API_KEYS_FILE Corral does not check it, but the SDK sends one.</summary>
    public AnthropicClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var models = Directory.CreateTempSubdirectory("corral-anthropic-").FullName;
        await StoreSeeder.SeedAsync(models, "successor-chat", GeneratedModels.Successor, template: ChatTemplate, paramsJson: "{\"temperature\":0}");
        await StoreSeeder.SeedToolCallerAsync(models);
        Server = await InProcessServer.StartAsync(new Dictionary<string, string> { ["OLLAMA_NUM_PARALLEL"] = "2", ["OLLAMA_CONTEXT_LENGTH"] = "1024" }, models);
        Client = CreateClient(Server, "sk-ant-corral");
    }

    /// <summary>An SDK client for <paramref name="server"/>: no retries (a failure shows at once), strict response validation.</summary>
    public static AnthropicClient CreateClient(IServerUnderTest server, string apiKey) => new(new ClientOptions
    {
        BaseUrl = server.BaseAddress.ToString().TrimEnd('/'),
        ApiKey = apiKey,
        MaxRetries = 0,
        Timeout = TimeSpan.FromMinutes(5),
        ResponseValidation = true,
    });

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
