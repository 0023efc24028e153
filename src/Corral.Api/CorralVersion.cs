using System.Reflection;

namespace Corral.Api;

/// <summary>
/// The two versions Corral has. <see cref="OllamaApi"/> is what <c>/api/version</c> reports: clients (ollama-js,
/// Open WebUI, LangChain) gate features on Ollama's version numbers, so Corral answers with the Ollama release
/// whose API it implements. <see cref="Build"/> is Corral's own, sent in the <see cref="HeaderName"/> header of
/// <c>/</c> and <c>/api/version</c> and printed by <c>corral --version</c>.
/// </summary>
public static class CorralVersion
{
    /// <summary>The Ollama release whose API Corral implements.</summary>
    public const string OllamaApi = "0.33.0";

    /// <summary>Response header carrying <see cref="Build"/>; a real Ollama server does not send it.</summary>
    public const string HeaderName = "X-Corral-Version";

    /// <summary>
    /// Corral's own version with the short commit it was built from (e.g. <c>0.1.0+112247b</c>), so that two
    /// different builds compare unequal. Every project is built together, so any of our assemblies tells.
    /// </summary>
    public static string Build { get; } = Read();

    private static string Read()
    {
        var informational = typeof(CorralVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus >= 0 && informational.Length > plus + 8 ? informational[..(plus + 8)] : informational;
    }
}
