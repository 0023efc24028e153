using Corral.Cli.Arguments;
using Corral.Cli.Output;
using Corral.Server.Configuration;
using Corral.Server.OpenAI.Responses.Storage;
using Microsoft.Data.Sqlite;

namespace Corral.Cli.Verbs;

/// <summary>
/// <c>corral responses ls</c> and <c>corral responses rm ID...</c>: the stored responses and conversations of
/// <c>/v1/responses</c>, read from the database file itself (CORRAL_RESPONSES_DB, default inside OLLAMA_MODELS),
/// so it sees every key's rows and works with the server stopped. SQLite's locking (WAL) makes this safe with
/// a server running on the same file: each change is one transaction the server sees whole.
/// </summary>
internal static class ResponsesVerb
{
    public static VerbSpec Spec { get; } = new("responses", "List and delete stored responses and conversations", "responses ls|rm [ID...] [--conversations] [--all]", ArgumentCount.AtLeast(1),
    [
        FlagSpec.Bool("conversations", "List conversations instead of responses", 'c'),
        FlagSpec.Bool("all", "With rm: delete every stored response (and with --conversations, every conversation)"),
        FlagSpec.Text("limit", "With ls: show at most this many (default 100)", 'n'),
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

            var path = ServerSettings.FromEnvironment().ResponsesDatabasePath
                ?? throw new UsageException("stored responses are off (CORRAL_RESPONSES_DB=off)");
            var action = parsed.Positionals[0];
            var ids = parsed.Positionals.Skip(1).ToList();
            switch (action)
            {
                case "ls" or "list":
                    if (ids.Count > 0)
                    {
                        throw new UsageException("ls takes no ids");
                    }

                    if (!File.Exists(path))
                    {
                        Console.Error.WriteLine($"No stored responses ({path} does not exist).");
                        return 0;
                    }

                    var limit = parsed.String("limit") is { } text ? int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : 100;
                    Console.Out.Write(parsed.Bool("conversations") ? ListConversations(path, limit) : ListResponses(path, limit));
                    return 0;
                case "rm" or "delete":
                    return Remove(path, ids, parsed.Bool("all"), parsed.Bool("conversations"));
                default:
                    throw new UsageException($"unknown responses action \"{action}\" (expected \"ls\" or \"rm\")");
            }
        }
        catch (Exception ex) when (ex is UsageException or FormatException or IOException or UnauthorizedAccessException or ResponsesDatabaseException or SqliteException)
        {
            Console.Error.WriteLine($"Error: {ex.Message}");
            return 1;
        }
    }

    private static string ListResponses(string path, int limit)
    {
        var store = new ResponseStore(ResponsesDatabase.Open(path));
        var table = new TextTable("\t");
        table.AddRow("ID", "MODEL", "STATUS", "CREATED", "CONTINUES", "CONVERSATION", "OWNER");
        var now = DateTimeOffset.Now;
        foreach (var row in store.List(limit))
        {
            table.AddRow(row.Id, row.Model, row.Status, HumanFormat.Time(DateTimeOffset.FromUnixTimeSeconds(row.CreatedAt), now, "Never"), row.PreviousResponseId ?? "-", row.ConversationId ?? "-", Owner(row.Owner));
        }

        return table.Render();
    }

    private static string ListConversations(string path, int limit)
    {
        var store = new ConversationStore(ResponsesDatabase.Open(path));
        var table = new TextTable("\t");
        table.AddRow("ID", "ITEMS", "CREATED");
        var now = DateTimeOffset.Now;
        foreach (var (id, created, items) in store.List(limit))
        {
            table.AddRow(id, items.ToString(System.Globalization.CultureInfo.InvariantCulture), HumanFormat.Time(DateTimeOffset.FromUnixTimeSeconds(created), now, "Never"));
        }

        return table.Render();
    }

    private static int Remove(string path, List<string> ids, bool all, bool conversations)
    {
        if (all == (ids.Count > 0))
        {
            throw new UsageException("rm needs either ids or --all");
        }

        if (!File.Exists(path))
        {
            throw new UsageException($"no stored responses ({path} does not exist)");
        }

        var database = ResponsesDatabase.Open(path);
        var responses = new ResponseStore(database);
        var conversationStore = new ConversationStore(database);
        if (all)
        {
            var removed = responses.DeleteAll();
            Console.Error.WriteLine($"Deleted {removed} stored responses.");
            if (conversations)
            {
                var count = 0;
                foreach (var (id, _, _) in conversationStore.List(int.MaxValue))
                {
                    count += conversationStore.Delete(id, owner: null) ? 1 : 0;
                }

                Console.Error.WriteLine($"Deleted {count} conversations.");
            }

            return 0;
        }

        var failed = 0;
        foreach (var id in ids)
        {
            var deleted = id.StartsWith("conv_", StringComparison.Ordinal) ? conversationStore.Delete(id, owner: null) : responses.DeleteAnyOwner(id);
            if (deleted)
            {
                Console.Out.WriteLine($"deleted '{id}'");
            }
            else
            {
                Console.Error.WriteLine($"Error: '{id}' not found");
                failed++;
            }
        }

        return failed == 0 ? 0 : 1;
    }

    /// <summary>Rows made with API keys on name the key's hash; a short prefix tells keys apart without showing it all.</summary>
    private static string Owner(string owner) => owner.Length == 0 ? "-" : owner.Length > 19 ? owner[..19] : owner;
}
