using Corral.Api;
using Corral.Api.Client;
using Corral.Api.Ollama;

namespace Corral.Cli.Verbs;

/// <summary>
/// <c>corral --version</c>: the server's version when one answers, and the client's when the two are not the same
/// build or no server is running, as ollama prints. A Corral server names its own build in the
/// <see cref="CorralVersion.HeaderName"/> header next to the Ollama API level it reports; a real Ollama server
/// has no such header and is shown as one.
/// </summary>
internal static class VersionVerb
{
    public static async Task<int> RunAsync()
    {
        string? serverVersion = null;
        string? serverBuild = null;
        using var http = new HttpClient { BaseAddress = OllamaEndpoint.FromEnvironment(), Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(new Uri("api/version", UriKind.Relative)).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            serverVersion = System.Text.Json.JsonSerializer.Deserialize(body, OllamaJsonContext.Default.VersionResponse)?.Version;
            serverBuild = response.Headers.TryGetValues(CorralVersion.HeaderName, out var values) ? values.FirstOrDefault() : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            Console.Out.WriteLine("Warning: could not connect to a running corral instance");
        }

        Console.Out.Write(Format(serverVersion, serverBuild, CorralVersion.Build));
        return 0;
    }

    /// <param name="serverVersion">The Ollama API version the server reported (null: no server answered).</param>
    /// <param name="serverBuild">The server's Corral build from its header (null: not a Corral server).</param>
    /// <param name="clientBuild">This executable's Corral build.</param>
    public static string Format(string? serverVersion, string? serverBuild, string clientBuild)
    {
        var text = string.Empty;
        if (!string.IsNullOrEmpty(serverVersion))
        {
            text += serverBuild is null
                ? $"ollama version is {serverVersion}\n"
                : $"corral version is {serverBuild} (Ollama API {serverVersion})\n";
        }

        if (serverBuild != clientBuild)
        {
            text += $"Warning: client version is {clientBuild} (Ollama API {CorralVersion.OllamaApi})\n";
        }

        return text;
    }
}
