using System.ClientModel;
using Corral.Testing;
using OpenAI.Responses;

#pragma warning disable OPENAI001 // the Responses client is marked experimental in this SDK version

namespace Corral.OpenAI.Tests;

/// <summary>
/// A real server whose model store (and so its responses database, <c>corral/responses.db</c> inside it) outlives
/// the server: <see cref="RestartAsync"/> stops it and starts another on the same files.
/// </summary>
public sealed class StoredResponsesFixture : IAsyncLifetime
{
    private static readonly Dictionary<string, string> Environment = new() { ["OLLAMA_NUM_PARALLEL"] = "2", ["OLLAMA_CONTEXT_LENGTH"] = "1024" };

    private readonly string _root = Directory.CreateTempSubdirectory("stored-responses-").FullName;

    /// <summary>Not under /tmp/corral-*, so stopping a server leaves it; removed when the fixture is disposed.</summary>
    public string ModelsPath => Path.Combine(_root, "models");

    public string DatabasePath => Path.Combine(ModelsPath, "corral", "responses.db");

    public ServerProcess Server { get; private set; } = null!;

    public ApiKeyCredential Key { get; } = new("corral");

    public ResponsesClient Client() => new(Key, new ResponsesClientOptions { Endpoint = new Uri(Server.BaseAddress, "/v1"), NetworkTimeout = TimeSpan.FromMinutes(5) });

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(ModelsPath);
        await StoreSeeder.SeedAsync(ModelsPath, "successor-chat", GeneratedModels.Successor, template: OpenAIServerFixture.ChatTemplate);
        await StoreSeeder.SeedAsync(ModelsPath, "random", GeneratedModels.Random);
        await StoreSeeder.SeedToolCallerAsync(ModelsPath);
        Server = await ServerProcess.StartAsync(Environment, ModelsPath);
    }

    /// <summary>Stops the server (SIGTERM) and starts a new one on the same store and database.</summary>
    public async Task RestartAsync()
    {
        await Server.DisposeAsync();
        Server = await ServerProcess.StartAsync(Environment, ModelsPath);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }
}
