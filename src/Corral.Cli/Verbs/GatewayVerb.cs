using System.Net.Http.Headers;
using Corral.Api.Client;
using Corral.Cli.Arguments;
using Corral.Gateway.Configuration;
using Corral.Gateway.Hosting;
using Corral.Gateway.Operations;

namespace Corral.Cli.Verbs;

/// <summary>
/// <c>corral gateway</c> runs the model-aware gateway in front of CORRAL_GATEWAY_BACKENDS; <c>corral gateway drain NAME</c>,
/// <c>resume NAME</c> and <c>status</c> operate a running one (at CORRAL_GATEWAY_HOST, else OLLAMA_HOST).
/// </summary>
internal static class GatewayVerb
{
    public static VerbSpec Spec { get; } = new("gateway", "Start a gateway in front of several corral servers, or operate one",
        "gateway [drain NAME | resume NAME | status]", ArgumentCount.Between(0, 2), []);

    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            var parsed = Spec.Parse(args);
            if (parsed.HelpRequested)
            {
                Console.Out.Write(Spec.Help() + Environment.NewLine + Details);
                return 0;
            }

            var positionals = parsed.Positionals;
            if (positionals.Count == 0)
            {
                var app = GatewayServer.Build(GatewaySettings.FromEnvironment());
                await app.RunAsync().ConfigureAwait(false);
                return 0;
            }

            return (positionals[0], positionals.Count) switch
            {
                ("drain", 2) => await OperateAsync(HttpMethod.Post, $"gateway/backends/{Uri.EscapeDataString(positionals[1])}/drain").ConfigureAwait(false),
                ("resume", 2) => await OperateAsync(HttpMethod.Post, $"gateway/backends/{Uri.EscapeDataString(positionals[1])}/resume").ConfigureAwait(false),
                ("status", 1) => await OperateAsync(HttpMethod.Get, "gateway/backends").ConfigureAwait(false),
                _ => throw new UsageException($"usage: corral {Spec.Usage}"),
            };
        }
        catch (Exception ex) when (ex is UsageException or FormatException or HttpRequestException or IOException)
        {
            Console.Error.WriteLine($"Error: {ex.Message}");
            return 1;
        }
    }

    private static async Task<int> OperateAsync(HttpMethod method, string path)
    {
        var host = Environment.GetEnvironmentVariable("CORRAL_GATEWAY_HOST") is { Length: > 0 } gateway
            ? OllamaEndpoint.Resolve(gateway)
            : OllamaEndpoint.FromEnvironment();
        using var http = new HttpClient { BaseAddress = host, Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(method, path);
        var key = Environment.GetEnvironmentVariable("CORRAL_API_KEY") is { Length: > 0 } k ? k : Environment.GetEnvironmentVariable("OLLAMA_API_KEY");
        if (!string.IsNullOrEmpty(key))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        using var response = await http.SendAsync(request).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(ErrorText(body, (int)response.StatusCode));
        }

        var list = System.Text.Json.JsonSerializer.Deserialize(body, GatewayJsonContext.Default.BackendStatusList) ?? new BackendStatusList();
        Print(list);
        return 0;
    }

    private static void Print(BackendStatusList list)
    {
        Console.Out.WriteLine($"{"NAME",-16} {"URL",-32} {"STATE",-10} {"IN FLIGHT",9} {"QUEUE",5}  LOADED");
        foreach (var b in list.Backends)
        {
            var state = !b.Up ? "down" : b.Draining ? "draining" : "up";
            Console.Out.WriteLine($"{b.Name,-16} {b.Url,-32} {state,-10} {b.InFlight,9} {b.QueueDepth,5}  {string.Join(", ", b.Loaded)}");
        }
    }

    private static string ErrorText(byte[] body, int status)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(body);
            if (document.RootElement.TryGetProperty("error", out var error))
            {
                return error.ValueKind == System.Text.Json.JsonValueKind.String ? error.GetString()! : error.GetProperty("message").GetString()!;
            }
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException or KeyNotFoundException)
        {
        }

        return $"the gateway answered {status}";
    }

    private const string Details = """

        Environment:
          CORRAL_GATEWAY_BACKENDS      Backends, comma-separated [name=]url (e.g. a=http://10.0.0.5:11434,b=10.0.0.6)
          CORRAL_GATEWAY_CONFIG        A JSON file: {"listen": "...", "backends": [{"name": "a", "url": "..."}]}
          CORRAL_GATEWAY_HOST          Where the gateway listens (default: OLLAMA_HOST, 127.0.0.1:11434)
          CORRAL_API_KEYS_FILE         API keys checked at the gateway (same format as corral serve)
          CORRAL_GATEWAY_BACKEND_KEY   Key the gateway sends to backends (default: the client's)
          CORRAL_GATEWAY_REFRESH_MS    How often backends are checked (default 1000)
          CORRAL_GATEWAY_IDLE_TIMEOUT  How long a backend may send nothing (default 10m)

        """;
}
