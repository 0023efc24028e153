namespace Corral.Server.OpenAI.Responses.Storage;

/// <summary>
/// The schema, one step per version: step <c>n</c> takes a database from version n to n+1. A released step is
/// never edited; a change is a new step. <c>schema_version</c> holds the version reached.
/// </summary>
public static class SchemaMigrations
{
    public static IReadOnlyList<string> Steps { get; } =
    [
        // 1: responses (input items and the response object as JSON), conversations and their items in order.
        """
        CREATE TABLE responses (
            id TEXT PRIMARY KEY,
            owner TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            status TEXT NOT NULL,
            model TEXT NOT NULL,
            background INTEGER NOT NULL,
            previous_response_id TEXT,
            conversation_id TEXT,
            input_items TEXT NOT NULL,
            response TEXT NOT NULL
        );
        CREATE INDEX responses_by_age ON responses (created_at);
        CREATE TABLE conversations (
            id TEXT PRIMARY KEY,
            owner TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            metadata TEXT NOT NULL
        );
        CREATE TABLE conversation_items (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
            id TEXT NOT NULL,
            item TEXT NOT NULL
        );
        CREATE UNIQUE INDEX conversation_items_by_id ON conversation_items (conversation_id, id);
        """,
    ];

    public static int Latest => Steps.Count;
}
