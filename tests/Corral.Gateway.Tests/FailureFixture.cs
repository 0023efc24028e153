using Corral.Testing;

namespace Corral.Gateway.Tests;

/// <summary>
/// Three real servers (x, y, z) with the same models and a gateway in front, for tests that stop or kill a backend:
/// each test that kills one finds two others alive, whatever order the tests run in. They are <c>corral serve</c>
/// processes, as the tests SIGKILL and SIGSTOP them.
/// </summary>
public sealed class FailureFixture : IAsyncLifetime
{
    public static readonly string[] Names = ["x", "y", "z"];

    public IReadOnlyList<ServerProcess> Servers { get; private set; } = [];

    public GatewayProcess Gateway { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public ServerProcess Server(string name) => Servers[Array.IndexOf(Names, name)];

    public async Task InitializeAsync()
    {
        Servers = await Task.WhenAll(Names.Select(async name =>
        {
            var store = Directory.CreateTempSubdirectory("corral-gw-" + name + "-").FullName;
            await StoreSeeder.SeedAsync(store, "long", GeneratedModels.Successor, template: "{{ .Prompt }}", paramsJson: "{\"temperature\":0}");
            await StoreSeeder.SeedAsync(store, "cold", GeneratedModels.Successor, template: "{{ .Prompt }}", paramsJson: "{\"temperature\":0}");
            return await ServerProcess.StartAsync(new Dictionary<string, string> { ["OLLAMA_NUM_PARALLEL"] = "2", ["OLLAMA_CONTEXT_LENGTH"] = "512" }, store);
        }));
        Gateway = await GatewayProcess.StartAsync(Names.Zip(Servers, (n, s) => (n, s.BaseAddress)));
        Http = Gateway.CreateClient();
        await Gateway.WaitForBackendsAsync(list => list.EnumerateArray().All(b => b.GetProperty("up").GetBoolean()), "every backend up", Http);
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Gateway.DisposeAsync();
        foreach (var server in Servers)
        {
            await server.DisposeAsync();
        }
    }
}
