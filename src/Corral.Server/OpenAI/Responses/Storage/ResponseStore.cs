using System.Text.Json;
using Corral.Api.OpenAI.Responses;
using Microsoft.Data.Sqlite;

namespace Corral.Server.OpenAI.Responses.Storage;

/// <summary>
/// Stored responses, each row written whole in one transaction (with the conversation items it adds), and
/// read only by the key that made it (<c>owner</c>; empty with API keys off).
/// </summary>
public sealed class ResponseStore(ResponsesDatabase database)
{
    private const string Columns = "id, owner, created_at, status, model, background, previous_response_id, conversation_id, input_items, response";

    public ResponsesDatabase Database { get; } = database;

    /// <summary>A new row: a finished response, or a background one as it is queued.</summary>
    public void Insert(ResponseObject response, string owner, IReadOnlyList<ResponsesInputItem> input, IReadOnlyList<ResponsesInputItem>? conversationItems)
    {
        Database.Write((connection, transaction) =>
        {
            using var command = Command(connection, transaction, $"INSERT INTO responses ({Columns}) VALUES (@id, @owner, @created, @status, @model, @background, @previous, @conversation, @input, @response);");
            command.Parameters.AddWithValue("@id", response.Id);
            command.Parameters.AddWithValue("@owner", owner);
            command.Parameters.AddWithValue("@created", response.CreatedAt);
            command.Parameters.AddWithValue("@status", response.Status);
            command.Parameters.AddWithValue("@model", response.Model);
            command.Parameters.AddWithValue("@background", response.Background ? 1 : 0);
            command.Parameters.AddWithValue("@previous", (object?)response.PreviousResponseId ?? DBNull.Value);
            command.Parameters.AddWithValue("@conversation", (object?)response.Conversation?.Id ?? DBNull.Value);
            command.Parameters.AddWithValue("@input", JsonSerializer.Serialize(input, ResponsesJsonContext.Wire.IReadOnlyListResponsesInputItem));
            command.Parameters.AddWithValue("@response", JsonSerializer.Serialize(response, ResponsesJsonContext.Wire.ResponseObject));
            command.ExecuteNonQuery();
            AppendToConversation(connection, transaction, response.Conversation?.Id, conversationItems);
            return 0;
        });
    }

    /// <summary>
    /// A background response's new state, with the conversation items of a finished turn in the same transaction.
    /// False when the row is gone (deleted while it ran): nothing is written then.
    /// </summary>
    public bool Update(ResponseObject response, IReadOnlyList<ResponsesInputItem>? conversationItems = null) => Database.Write((connection, transaction) =>
    {
        using var command = Command(connection, transaction, "UPDATE responses SET status = @status, response = @response WHERE id = @id;");
        command.Parameters.AddWithValue("@id", response.Id);
        command.Parameters.AddWithValue("@status", response.Status);
        command.Parameters.AddWithValue("@response", JsonSerializer.Serialize(response, ResponsesJsonContext.Wire.ResponseObject));
        if (command.ExecuteNonQuery() == 0)
        {
            return false;
        }

        AppendToConversation(connection, transaction, response.Conversation?.Id, conversationItems);
        return true;
    });

    public StoredResponse? Get(string id, string owner) => Database.Read(connection =>
    {
        using var command = Command(connection, null, $"SELECT {Columns} FROM responses WHERE id = @id AND owner = @owner;");
        command.Parameters.AddWithValue("@id", id);
        command.Parameters.AddWithValue("@owner", owner);
        using var reader = command.ExecuteReader();
        return reader.Read() ? Row(reader) : null;
    });

    public bool Delete(string id, string owner) => Database.Write((connection, transaction) =>
    {
        using var command = Command(connection, transaction, "DELETE FROM responses WHERE id = @id AND owner = @owner;");
        command.Parameters.AddWithValue("@id", id);
        command.Parameters.AddWithValue("@owner", owner);
        return command.ExecuteNonQuery() > 0;
    });

    /// <summary>
    /// What came before a turn that continues <paramref name="previousId"/>: each earlier response's input and output
    /// items, oldest first. Null when <paramref name="previousId"/> itself is not stored (for this owner). A chain
    /// whose older responses were deleted or pruned starts at the oldest one still stored.
    /// </summary>
    public List<ResponsesInputItem>? History(string previousId, string owner)
    {
        var turns = new List<List<ResponsesInputItem>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var id = previousId; id is not null && seen.Add(id);)
        {
            if (Get(id, owner) is not { } row)
            {
                if (id == previousId)
                {
                    return null;
                }

                break;
            }

            var turn = JsonSerializer.Deserialize(row.InputItemsJson, ResponsesJsonContext.Default.IReadOnlyListResponsesInputItem)!.ToList();
            var response = JsonSerializer.Deserialize(row.ResponseJson, ResponsesJsonContext.Default.ResponseObject)!;
            turn.AddRange(response.Output.Select(StoredItems.FromOutput));
            turns.Add(turn);
            id = row.PreviousResponseId;
        }

        turns.Reverse();
        return [.. turns.SelectMany(t => t)];
    }

    /// <summary>Every stored response, newest first, of every owner (for <c>corral responses</c>).</summary>
    public List<StoredResponse> List(int limit) => Database.Read(connection =>
    {
        using var command = Command(connection, null, $"SELECT {Columns} FROM responses ORDER BY created_at DESC, rowid DESC LIMIT @limit;");
        command.Parameters.AddWithValue("@limit", limit);
        using var reader = command.ExecuteReader();
        var rows = new List<StoredResponse>();
        while (reader.Read())
        {
            rows.Add(Row(reader));
        }

        return rows;
    });

    /// <summary>Removes a response whoever made it (the CLI's delete, which has the file itself).</summary>
    public bool DeleteAnyOwner(string id) => Database.Write((connection, transaction) =>
    {
        using var command = Command(connection, transaction, "DELETE FROM responses WHERE id = @id;");
        command.Parameters.AddWithValue("@id", id);
        return command.ExecuteNonQuery() > 0;
    });

    /// <summary>Removes every stored response of every owner (the CLI's <c>rm --all</c>).</summary>
    public int DeleteAll() => Database.Write((connection, transaction) =>
    {
        using var command = Command(connection, transaction, "DELETE FROM responses;");
        return command.ExecuteNonQuery();
    });

    /// <summary>
    /// At start: background responses a previous run left queued or in progress (it stopped or crashed) can never
    /// finish; they become <c>incomplete</c> (reason <c>interrupted</c>) so pollers stop waiting.
    /// </summary>
    public int MarkInterrupted()
    {
        var unfinished = Database.Read(connection =>
        {
            using var command = Command(connection, null, "SELECT response FROM responses WHERE status IN ('queued', 'in_progress');");
            using var reader = command.ExecuteReader();
            var list = new List<ResponseObject>();
            while (reader.Read())
            {
                list.Add(JsonSerializer.Deserialize(reader.GetString(0), ResponsesJsonContext.Default.ResponseObject)!);
            }

            return list;
        });
        foreach (var response in unfinished)
        {
            MarkInterrupted(response);
            Update(response);
        }

        return unfinished.Count;
    }

    /// <summary>Sets <paramref name="response"/> to incomplete, interrupted by the server stopping.</summary>
    public static void MarkInterrupted(ResponseObject response)
    {
        response.Status = "incomplete";
        response.IncompleteDetails = new ResponseIncompleteDetails { Reason = "interrupted" };
    }

    /// <summary>Retention: removes responses older than <paramref name="days"/> days and all but the newest <paramref name="max"/> (0 = no limit).</summary>
    public int Prune(int days, int max, DateTimeOffset now) => Database.Write((connection, transaction) =>
    {
        var removed = 0;
        if (days > 0)
        {
            using var old = Command(connection, transaction, "DELETE FROM responses WHERE created_at < @cutoff;");
            old.Parameters.AddWithValue("@cutoff", now.AddDays(-days).ToUnixTimeSeconds());
            removed += old.ExecuteNonQuery();
        }

        if (max > 0)
        {
            using var extra = Command(connection, transaction, "DELETE FROM responses WHERE rowid IN (SELECT rowid FROM responses ORDER BY created_at DESC, rowid DESC LIMIT -1 OFFSET @max);");
            extra.Parameters.AddWithValue("@max", max);
            removed += extra.ExecuteNonQuery();
        }

        return removed;
    });

    internal static void AppendToConversation(SqliteConnection connection, SqliteTransaction transaction, string? conversationId, IReadOnlyList<ResponsesInputItem>? items)
    {
        if (conversationId is null || items is null)
        {
            return;
        }

        // An item given back with the id it already has in the conversation (a function call resent with its
        // output) is not added twice.
        foreach (var item in items)
        {
            using var command = Command(connection, transaction, "INSERT OR IGNORE INTO conversation_items (conversation_id, id, item) VALUES (@conversation, @id, @item);");
            command.Parameters.AddWithValue("@conversation", conversationId);
            command.Parameters.AddWithValue("@id", item.Id);
            command.Parameters.AddWithValue("@item", JsonSerializer.Serialize(item, ResponsesJsonContext.Wire.ResponsesInputItem));
            command.ExecuteNonQuery();
        }
    }

    internal static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    private static StoredResponse Row(SqliteDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        r.GetInt64(2),
        r.GetString(3),
        r.GetString(4),
        r.GetInt64(5) != 0,
        r.IsDBNull(6) ? null : r.GetString(6),
        r.IsDBNull(7) ? null : r.GetString(7),
        r.GetString(8),
        r.GetString(9));
}
