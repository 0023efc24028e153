using System.Globalization;
using Corral.Testing;

namespace Corral.Bench.Compare;

/// <summary>
/// A real <c>corral serve</c> on a temp store holding the generate model (template <c>{{ .Prompt }}</c>, so
/// /v1/completions sends the prompt as is, as llama-server does) and the embedding model; both load in
/// runners of their own. Disposing stops the server (and its runners) and deletes the store.
/// </summary>
internal sealed class CorralServer : IAsyncDisposable
{
    public const string GenerateModel = "bench";
    public const string EmbeddingModel = "embed";

    private readonly ServerProcess _server;
    private readonly string _store;

    private CorralServer(ServerProcess server, string store)
    {
        _server = server;
        _store = store;
    }

    public Uri BaseAddress => _server.BaseAddress;

    public string Log => _server.Log;

    /// <summary>The <c>corral serve</c> process and its runners, by role.</summary>
    public IReadOnlyList<(string Role, int Pid)> Processes() =>
        [("corral serve", _server.ProcessId), .. _server.RunnerProcessIds().Select(pid => ("runners", pid))];

    public static async Task<CorralServer> StartAsync(string modelPath, string embeddingPath, CompareOptions options)
    {
        var store = Directory.CreateTempSubdirectory("corral-bench-compare-store-").FullName;
        try
        {
            // Modelfile parameters: the bench's thread count (llama-server -t) and no repeat penalty (llama-server's default;
            // Ollama's is 1.1).
            var threads = options.Threads.ToString(CultureInfo.InvariantCulture);
            await StoreSeeder.SeedAsync(store, GenerateModel, modelPath, template: "{{ .Prompt }}", paramsJson: $"{{\"num_thread\":{threads},\"repeat_penalty\":1.0}}").ConfigureAwait(false);
            await StoreSeeder.SeedAsync(store, EmbeddingModel, embeddingPath, paramsJson: $"{{\"num_thread\":{threads}}}", family: "bert").ConfigureAwait(false);
            var server = await ServerProcess.StartAsync(new Dictionary<string, string>
            {
                ["OLLAMA_NUM_PARALLEL"] = options.Slots.ToString(CultureInfo.InvariantCulture),
                ["OLLAMA_CONTEXT_LENGTH"] = options.ContextPerSlot.ToString(CultureInfo.InvariantCulture),
                ["OLLAMA_MAX_LOADED_MODELS"] = "2",
                // Never unload between scenarios: a reload inside a measurement would be measured.
                ["OLLAMA_KEEP_ALIVE"] = "-1",
            }, store).ConfigureAwait(false);
            return new CorralServer(server, store);
        }
        catch
        {
            Directory.Delete(store, recursive: true);
            throw;
        }
    }

    public HttpClient CreateClient() => BenchHttp.Create(BaseAddress);

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync().ConfigureAwait(false);
        if (Directory.Exists(_store))
        {
            Directory.Delete(_store, recursive: true);
        }
    }
}
