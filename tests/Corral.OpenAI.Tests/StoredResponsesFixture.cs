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

    public IServerUnderTest Server { get; private set; } = null!;

    public ApiKeyCredential Key { get; } = new("corral");

    public ResponsesClient Client() => new(Key, new ResponsesClientOptions { Endpoint = new Uri(Server.BaseAddress, "/v1"), NetworkTimeout = TimeSpan.FromMinutes(5) });

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(ModelsPath);
        await StoreSeeder.SeedAsync(ModelsPath, "successor-chat", GeneratedModels.Successor, template: OpenAIServerFixture.ChatTemplate);
        await StoreSeeder.SeedAsync(ModelsPath, "random", GeneratedModels.Random);
        await StoreSeeder.SeedToolCallerAsync(ModelsPath);
        Server = await InProcessServer.StartAsync(Environment, ModelsPath);
    }

    /// <summary>
    /// Stops the server (as SIGTERM does) and starts a new one on the same store and database: in the test host, or as
    /// a <c>corral serve</c> process when <paramref name="asProcess"/> (a test that kills it).
    /// </summary>
    public async Task RestartAsync(bool asProcess = false)
    {
        await Server.DisposeAsync();
        Server = asProcess
            ? await ServerProcess.StartAsync(Environment, ModelsPath)
            : await InProcessServer.StartAsync(Environment, ModelsPath);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }
}
