using System.Net.Sockets;
using Corral.Api.Client;
using Corral.Cli.Arguments;
using Corral.Models.Modelfiles;

namespace Corral.Cli.Verbs;

/// <summary>The one-line <c>Error: ...</c> text for a failed client verb.</summary>
internal static class CliErrors
{
    /// <summary>The message for <paramref name="error"/>, or null when it is not an expected failure (a bug: let it surface).</summary>
    public static string? Describe(Exception error, Uri server) => error switch
    {
        OllamaApiException api => api.ErrorMessage,
        HttpRequestException http when IsConnectFailure(http) =>
            $"could not connect to corral server at {server.Authority}, run 'corral serve' to start it",
        HttpRequestException http => http.Message,
        UsageException usage => usage.Message,
        ModelfileParseException parse => parse.Message,
        FormatException format => format.Message,
        ArgumentException argument => argument.Message.Split(" (Parameter", 2)[0],
        FileNotFoundException missing => missing.Message,
        DirectoryNotFoundException missing => missing.Message,
        UnauthorizedAccessException denied => denied.Message,
        IOException io => io.Message,
        _ => null,
    };

    private static bool IsConnectFailure(HttpRequestException error) =>
        error.HttpRequestError == HttpRequestError.ConnectionError
        || error.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.TryAgain };
}
