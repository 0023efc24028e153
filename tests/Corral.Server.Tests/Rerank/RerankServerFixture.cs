using System.Net.Http.Headers;
using Corral.Api.Client;
using Corral.Testing;

namespace Corral.Server.Tests.Rerank;

/// <summary>
/// A real server with the generated reranker, the (mean-pooled) embedding model and a generation model in
/// its store, started with <c>CORRAL_API_KEYS_FILE</c> so the rerank routes' scope is checked on the same server.
/// </summary>
public sealed class RerankServerFixture : IAsyncLifetime
{
    public const string ReadKey = "rerank-read-51ab";
    public const string InferKey = "rerank-infer-e07c";

    public IServerUnderTest Server { get; private set; } = null!;

    /// <summary>Sends the infer key.</summary>
    public HttpClient Http { get; private set; } = null!;

    /// <summary>The typed native client over <see cref="Http"/>.</summary>
    public OllamaClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var models = Directory.CreateTempSubdirectory("corral-rerank-").FullName;
        await StoreSeeder.SeedAsync(models, "reranker", GeneratedModels.Reranker, family: "bert");
        await StoreSeeder.SeedAsync(models, "embedder", GeneratedModels.Embedding, family: "bert");
        await StoreSeeder.SeedAsync(models, "successor", GeneratedModels.Successor, template: "{{ .Prompt }}");
        var keysFile = Path.Combine(TempFolders.Create("corral-rerank-keys-"), "keys");
        await File.WriteAllLinesAsync(keysFile, [$"{ReadKey} read", $"{InferKey} infer"]);
        Server = await InProcessServer.StartAsync(
            new Dictionary<string, string> { ["CORRAL_API_KEYS_FILE"] = keysFile, ["OLLAMA_CONTEXT_LENGTH"] = "256" },
            models);
        Http = CreateClient(InferKey);
        Client = new OllamaClient(CreateClient(InferKey), ownsHttpClient: true);
    }

    public HttpClient CreateClient(string? key)
    {
        var http = Server.CreateClient();
        if (key is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return http;
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
