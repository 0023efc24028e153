using Corral.Cli.Arguments;
using Corral.Server.Security;

namespace Corral.Cli.Verbs;

/// <summary>
/// <c>corral keys add</c>: creates an API key, appends only its hash to <c>CORRAL_API_KEYS_FILE</c> (or
/// <c>--file</c>), and prints the key once on stdout. A running server picks the key up within a second.
/// </summary>
internal static class KeysVerb
{
    public static VerbSpec Spec { get; } = new("keys", "Manage API keys (CORRAL_API_KEYS_FILE)", "keys add [--scope read|infer|admin] [--name NAME] [--file PATH]", ArgumentCount.Exactly(1),
    [
        FlagSpec.Text("scope", "What the key may do: read, infer or admin (default \"infer\")", 's'),
        FlagSpec.Text("name", "A note stored next to the key's hash (e.g. who has it)", 'n'),
        FlagSpec.Text("file", "The keys file (default $CORRAL_API_KEYS_FILE)", 'f'),
    ]);

    public static int Run(string[] args)
    {
        try
        {
            var parsed = Spec.Parse(args);
            if (parsed.HelpRequested)
            {
                Console.Out.Write(Spec.Help());
                return 0;
            }

            if (parsed.Positionals[0] != "add")
            {
                throw new UsageException($"unknown keys action \"{parsed.Positionals[0]}\" (expected \"add\")");
            }

            var path = parsed.String("file") ?? Environment.GetEnvironmentVariable("CORRAL_API_KEYS_FILE");
            if (string.IsNullOrWhiteSpace(path))
            {
                throw new UsageException("no keys file: set CORRAL_API_KEYS_FILE or pass --file");
            }

            var scope = ParseScope(parsed.String("scope") ?? "infer");
            var key = ApiKeyIssuer.Add(ExpandHome(path), scope, parsed.String("name"));
            Console.Out.WriteLine(key);
            Console.Error.WriteLine($"Added a '{scope.ToString().ToLowerInvariant()}' key to {path}. Only its hash is stored: keep the key now, it cannot be shown again.");
            return 0;
        }
        catch (Exception ex) when (ex is UsageException or FormatException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            Console.Error.WriteLine($"Error: {ex.Message}");
            return 1;
        }
    }

    private static ApiScope ParseScope(string text) => text.ToLowerInvariant() switch
    {
        "read" => ApiScope.Read,
        "infer" => ApiScope.Infer,
        "admin" => ApiScope.Admin,
        _ => throw new UsageException($"unknown scope \"{text}\" (read, infer or admin)"),
    };

    private static string ExpandHome(string path) =>
        path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[2..])
            : path;
}
