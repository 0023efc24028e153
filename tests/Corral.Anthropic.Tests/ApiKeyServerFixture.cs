using Corral.Testing;

namespace Corral.Anthropic.Tests;

/// <summary>A real server started with <c>CORRAL_API_KEYS_FILE</c>: one key that may infer, one that may only read.</summary>
public sealed class ApiKeyServerFixture : IAsyncLifetime
{
    public const string InferKey = "corral-anthropic-infer-5e1a";
    public const string ReadKey = "corral-anthropic-read-8b2c";

    public IServerUnderTest Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var models = Directory.CreateTempSubdirectory("corral-anthropic-keys-").FullName;
        await StoreSeeder.SeedAsync(models, "successor-chat", GeneratedModels.Successor, template: AnthropicServerFixture.ChatTemplate, paramsJson: "{\"temperature\":0}");
        var keysFile = Path.Combine(TempFolders.Create("corral-anthropic-keyfile-"), "keys");
        await File.WriteAllLinesAsync(keysFile, [$"{InferKey} infer", $"{ReadKey} read"]);
        Server = await InProcessServer.StartAsync(
            new Dictionary<string, string> { ["CORRAL_API_KEYS_FILE"] = keysFile, ["OLLAMA_NUM_PARALLEL"] = "1", ["OLLAMA_CONTEXT_LENGTH"] = "512" },
            models);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
