using Corral.Testing;

namespace Corral.Server.Tests.Observability;

/// <summary>A real server (no API keys) with the successor model, for /metrics and the request log.</summary>
public sealed class MetricsServerFixture : IAsyncLifetime
{
    public IServerUnderTest Server { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var models = Directory.CreateTempSubdirectory("corral-metrics-").FullName;
        await StoreSeeder.SeedAsync(models, "successor", GeneratedModels.Successor, template: "{{ .Prompt }}", paramsJson: "{\"temperature\":0}");
        await StoreSeeder.SeedAsync(models, "embedder", GeneratedModels.Embedding, family: "bert");
        Server = await InProcessServer.StartAsync(new Dictionary<string, string> { ["OLLAMA_NUM_PARALLEL"] = "2", ["OLLAMA_CONTEXT_LENGTH"] = "512" }, models);
        Http = Server.CreateClient();
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
