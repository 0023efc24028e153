using System.Text.Json;
using Corral.Api.OpenAI.Responses;
using Microsoft.Data.Sqlite;

namespace Corral.Server.OpenAI.Responses.Storage;

/// <summary>Conversations and their items in order; like responses, each belongs to the key that made it.</summary>
public sealed class ConversationStore(ResponsesDatabase database)
{
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    public ConversationObject Create(string owner, JsonElement? metadata, IReadOnlyList<ResponsesInputItem> items)
    {
        var conversation = new ConversationObject
        {
            Id = ResponseIds.New("conv_"),
            CreatedAt = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            Metadata = metadata is { ValueKind: JsonValueKind.Object } m ? m : EmptyObject,
        };
        database.Write((connection, transaction) =>
        {
            using var command = ResponseStore.Command(connection, transaction, "INSERT INTO conversations (id, owner, created_at, metadata) VALUES (@id, @owner, @created, @metadata);");
            command.Parameters.AddWithValue("@id", conversation.Id);
            command.Parameters.AddWithValue("@owner", owner);
            command.Parameters.AddWithValue("@created", conversation.CreatedAt);
            command.Parameters.AddWithValue("@metadata", conversation.Metadata.GetRawText());
            command.ExecuteNonQuery();
            ResponseStore.AppendToConversation(connection, transaction, conversation.Id, items);
            return 0;
        });
        return conversation;
    }

    public ConversationObject? Get(string id, string owner) => database.Read(connection => Find(connection, null, id, owner));

    public ConversationObject? UpdateMetadata(string id, string owner, JsonElement metadata) => database.Write((connection, transaction) =>
    {
        using var command = ResponseStore.Command(connection, transaction, "UPDATE conversations SET metadata = @metadata WHERE id = @id AND owner = @owner;");
        command.Parameters.AddWithValue("@id", id);
        command.Parameters.AddWithValue("@owner", owner);
        command.Parameters.AddWithValue("@metadata", metadata.GetRawText());
        return command.ExecuteNonQuery() == 0 ? null : Find(connection, transaction, id, owner);
    });

    public bool Delete(string id, string? owner) => database.Write((connection, transaction) =>
    {
        using var command = ResponseStore.Command(connection, transaction, owner is null
            ? "DELETE FROM conversations WHERE id = @id;"
            : "DELETE FROM conversations WHERE id = @id AND owner = @owner;");
        command.Parameters.AddWithValue("@id", id);
        command.Parameters.AddWithValue("@owner", (object?)owner ?? DBNull.Value);
        return command.ExecuteNonQuery() > 0;
    });

    /// <summary>The items of a conversation in the order they were added; null when there is no such conversation for this owner.</summary>
    public List<ResponsesInputItem>? Items(string id, string owner) => database.Read(connection =>
        Find(connection, null, id, owner) is null ? null : ReadItems(connection, null, id));

    /// <summary>Adds items at the end; null when there is no such conversation for this owner.</summary>
    public IReadOnlyList<ResponsesInputItem>? Add(string id, string owner, IReadOnlyList<ResponsesInputItem> items) => database.Write((connection, transaction) =>
    {
        if (Find(connection, transaction, id, owner) is null)
        {
            return null;
        }

        ResponseStore.AppendToConversation(connection, transaction, id, items);
        return items;
    });

    /// <summary>Removes one item; false when the conversation (for this owner) or the item is not there.</summary>
    public bool DeleteItem(string id, string owner, string itemId) => database.Write((connection, transaction) =>
    {
        if (Find(connection, transaction, id, owner) is null)
        {
            return false;
        }

        using var command = ResponseStore.Command(connection, transaction, "DELETE FROM conversation_items WHERE conversation_id = @id AND id = @item;");
        command.Parameters.AddWithValue("@id", id);
        command.Parameters.AddWithValue("@item", itemId);
        return command.ExecuteNonQuery() > 0;
    });

    /// <summary>Every conversation with its item count, newest first, of every owner (for <c>corral responses</c>).</summary>
    public List<(string Id, long CreatedAt, long Items)> List(int limit) => database.Read(connection =>
    {
        using var command = ResponseStore.Command(connection, null, "SELECT c.id, c.created_at, (SELECT COUNT(*) FROM conversation_items i WHERE i.conversation_id = c.id) FROM conversations c ORDER BY c.created_at DESC, c.rowid DESC LIMIT @limit;");
        command.Parameters.AddWithValue("@limit", limit);
        using var reader = command.ExecuteReader();
        var rows = new List<(string, long, long)>();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
        }

        return rows;
    });

    private static ConversationObject? Find(SqliteConnection connection, SqliteTransaction? transaction, string id, string owner)
    {
        using var command = ResponseStore.Command(connection, transaction, "SELECT created_at, metadata FROM conversations WHERE id = @id AND owner = @owner;");
        command.Parameters.AddWithValue("@id", id);
        command.Parameters.AddWithValue("@owner", owner);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        using var metadata = JsonDocument.Parse(reader.GetString(1));
        return new ConversationObject { Id = id, CreatedAt = reader.GetInt64(0), Metadata = metadata.RootElement.Clone() };
    }

    private static List<ResponsesInputItem> ReadItems(SqliteConnection connection, SqliteTransaction? transaction, string id)
    {
        using var command = ResponseStore.Command(connection, transaction, "SELECT item FROM conversation_items WHERE conversation_id = @id ORDER BY seq;");
        command.Parameters.AddWithValue("@id", id);
        using var reader = command.ExecuteReader();
        var items = new List<ResponsesInputItem>();
        while (reader.Read())
        {
            items.Add(JsonSerializer.Deserialize(reader.GetString(0), ResponsesJsonContext.Default.ResponsesInputItem)!);
        }

        return items;
    }
}
