using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Corral.Testing;

namespace Corral.Gateway.Tests;

/// <summary>
/// Three real servers (alpha, beta, gamma; in this process, <see cref="InProcessServer"/>), each with its own store,
/// and one <c>corral gateway</c> process in front,
/// shared by the fleet tests. Every store holds the models the tests route (each test uses its own, so the order tests
/// run in does not matter) plus one model only it has. gamma has one slot and a queue of one, so it answers 503 as soon
/// as a second request is waiting.
/// </summary>
public sealed class FleetFixture : IAsyncLifetime
{
    public const string ChatTemplate = "{{- if .System }}<|start_header_id|>system<|end_header_id|>\n\n{{ .System }}<|eot_id|>{{ end }}"
        + "{{- range .Messages }}{{ if ne .Role \"system\" }}<|start_header_id|>{{ .Role }}<|end_header_id|>\n\n{{ .Content }}<|eot_id|>{{ end }}{{ end }}"
        + "<|start_header_id|>assistant<|end_header_id|>\n\n";

    /// <summary>Models every backend has: one per routing test.</summary>
    public static readonly string[] SharedModels = ["affine", "chat", "drainable", "spill", "plain"];

    public static readonly string[] Names = ["alpha", "beta", "gamma"];

    public IReadOnlyList<IServerUnderTest> Servers { get; private set; } = [];

    public GatewayProcess Gateway { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public IServerUnderTest Server(string name) => Servers[Array.IndexOf(Names, name)];

    public string NameOf(IServerUnderTest server) => Names[Servers.ToList().IndexOf(server)];

    public IEnumerable<(string Name, Uri Address)> Backends => Names.Zip(Servers, (n, s) => (n, s.BaseAddress));

    public async Task InitializeAsync()
    {
        var servers = await Task.WhenAll(Names.Select(async name =>
        {
            var store = Directory.CreateTempSubdirectory("corral-gw-" + name + "-").FullName;
            foreach (var model in SharedModels)
            {
                await SeedAsync(store, model);
            }

            await SeedAsync(store, "only-" + name);
            var environment = new Dictionary<string, string> { ["OLLAMA_NUM_PARALLEL"] = "2", ["OLLAMA_CONTEXT_LENGTH"] = "512", ["OLLAMA_KEEP_ALIVE"] = "-1" };
            if (name == "gamma")
            {
                environment["OLLAMA_NUM_PARALLEL"] = "1";
                environment["OLLAMA_MAX_QUEUE"] = "1";
            }

            return await InProcessServer.StartAsync(environment, store);
        }));
        Servers = servers;
        Gateway = await GatewayProcess.StartAsync(Backends);
        Http = Gateway.CreateClient();
        await Gateway.WaitForBackendsAsync(list => list.EnumerateArray().All(b => b.GetProperty("up").GetBoolean()), "every backend up", Http);
    }

    private static Task SeedAsync(string store, string name) =>
        name == "chat"
            ? StoreSeeder.SeedAsync(store, name, GeneratedModels.Successor, template: ChatTemplate, paramsJson: "{\"temperature\":0}")
            : StoreSeeder.SeedAsync(store, name, GeneratedModels.Successor, template: "{{ .Prompt }}", paramsJson: "{\"temperature\":0}");

    /// <summary>Loads <paramref name="model"/> on one server directly (not through the gateway), and waits until the gateway sees it there.</summary>
    public async Task LoadDirectlyAsync(string server, string model)
    {
        using var http = Server(server).CreateClient();
        using var response = await http.PostAsync("/api/generate", Json($$"""{"model":"{{model}}"}"""));
        response.EnsureSuccessStatusCode();
        await Gateway.WaitForBackendsAsync(list => list.EnumerateArray().Any(b => b.GetProperty("name").GetString() == server
            && b.GetProperty("loaded").EnumerateArray().Any(m => m.GetString()!.Contains("/" + model + ":", StringComparison.Ordinal))), $"{model} loaded on {server}", Http);
    }

    /// <summary>
    /// Waits until no server has a busy slot or a waiting request (asked directly), then two of the gateway's refresh
    /// periods (1 s), so that its view no longer counts work that a test before this one left running: a busier view
    /// moves a conversation off its backend (bounded-load routing).
    /// </summary>
    public async Task WaitUntilIdleAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        foreach (var name in Names)
        {
            using var http = Server(name).CreateClient();
            while (true)
            {
                var lines = (await http.GetStringAsync("/metrics")).Split('\n');
                var busy = lines.Any(l => (l.StartsWith("corral_runner_active_slots{", StringComparison.Ordinal) || l.StartsWith("corral_queue_depth ", StringComparison.Ordinal))
                    && !l.EndsWith(" 0", StringComparison.Ordinal));
                if (!busy)
                {
                    break;
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"{name} still busy: {string.Join(" | ", lines.Where(l => l.StartsWith("corral_runner_active_slots", StringComparison.Ordinal)))}");
                }

                await Task.Delay(20);
            }
        }

        await Task.Delay(TimeSpan.FromSeconds(2));
    }

    /// <summary>The models a server has loaded, asked directly.</summary>
    public async Task<List<string>> LoadedOnAsync(string server)
    {
        using var http = Server(server).CreateClient();
        var ps = await http.GetFromJsonAsync<JsonElement>("/api/ps");
        return ps.GetProperty("models").EnumerateArray().Select(m => m.GetProperty("name").GetString()!).ToList();
    }

    /// <summary>The models in a server's store, asked directly.</summary>
    public async Task<List<string>> TagsOnAsync(string server)
    {
        using var http = Server(server).CreateClient();
        var tags = await http.GetFromJsonAsync<JsonElement>("/api/tags");
        return tags.GetProperty("models").EnumerateArray().Select(m => m.GetProperty("name").GetString()!).ToList();
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Gateway.DisposeAsync();
        await Task.WhenAll(Servers.Select(s => s.DisposeAsync().AsTask()));
    }
}

[CollectionDefinition(Name)]
public sealed class FleetCollectionDefinition : ICollectionFixture<FleetFixture>
{
    public const string Name = "fleet";
}
