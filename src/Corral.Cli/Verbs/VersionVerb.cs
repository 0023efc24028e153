using Corral.Api.Client;

namespace Corral.Cli.Verbs;

/// <summary>
/// <c>corral --version</c>: the server's version when one answers ("corral version is X"), and a warning with the
/// client's version when the two differ or no server is running, as ollama prints.
/// </summary>
internal static class VersionVerb
{
    public static async Task<int> RunAsync(string clientVersion)
    {
        string? serverVersion = null;
        using var client = new OllamaClient(new HttpClient { BaseAddress = OllamaEndpoint.FromEnvironment(), Timeout = TimeSpan.FromSeconds(5) }, ownsHttpClient: true);
        try
        {
            serverVersion = (await client.VersionAsync().ConfigureAwait(false)).Version;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or OllamaApiException or System.Text.Json.JsonException)
        {
            Console.Out.WriteLine("Warning: could not connect to a running corral instance");
        }

        Console.Out.Write(Format(serverVersion, clientVersion));
        return 0;
    }

    public static string Format(string? serverVersion, string clientVersion)
    {
        var text = string.Empty;
        if (!string.IsNullOrEmpty(serverVersion))
        {
            text += $"corral version is {serverVersion}\n";
        }

        if (serverVersion != clientVersion)
        {
            text += $"Warning: client version is {clientVersion}\n";
        }

        return text;
    }
}
