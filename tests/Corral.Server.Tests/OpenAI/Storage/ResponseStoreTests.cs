using System.Text.Json;
using Corral.Api.OpenAI.Responses;
using Corral.Server.Configuration;
using Corral.Server.OpenAI.Responses.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Corral.Server.Tests.OpenAI.Storage;

/// <summary>The responses database on a real SQLite file: schema, chains, retention, interrupted rows.</summary>
public sealed class ResponseStoreTests : IDisposable
{
    private static readonly JsonElement Empty = JsonDocument.Parse("{}").RootElement.Clone();
    private readonly string _folder = Directory.CreateTempSubdirectory("response-store-").FullName;
    private int _files;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools(); // pooled connections hold the files open
        Directory.Delete(_folder, recursive: true);
    }

    private string NewPath() => Path.Combine(_folder, $"db{++_files}", "nested", "responses.db");

    private static ResponseObject Response(string id, long createdAt, string status = "completed", string? previous = null, string text = "answer") => new()
    {
        Id = id,
        CreatedAt = createdAt,
        Status = status,
        Model = "m",
        PreviousResponseId = previous,
        Metadata = Empty,
        ToolChoice = JsonDocument.Parse("\"auto\"").RootElement.Clone(),
        Output = [new ResponseOutputItem { Id = "msg_" + id, Type = "message", Role = "assistant", Status = "completed", Content = [ResponseContentPart.OutputText(text)] }],
    };

    private static List<ResponsesInputItem> UserSays(string text) => StoredItems.FromInput(new ResponsesInput(text));

    [Fact]
    public void A_new_file_gets_the_latest_schema_and_opens_again_unchanged()
    {
        var path = NewPath();
        var store = new ResponseStore(ResponsesDatabase.Open(path));
        store.Insert(Response("resp_a", 100), "", UserSays("hi"), null);
        var reopened = new ResponseStore(ResponsesDatabase.Open(path));
        var row = Assert.IsType<StoredResponse>(reopened.Get("resp_a", ""));
        Assert.Equal("completed", row.Status);
        Assert.Null(reopened.Get("resp_a", "sha256:someone-else"));
        var version = reopened.Database.Read(c =>
        {
            using var command = c.CreateCommand();
            command.CommandText = "SELECT version FROM schema_version; ";
            return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        });
        Assert.Equal(SchemaMigrations.Latest, version);
        var mode = reopened.Database.Read(c =>
        {
            using var command = c.CreateCommand();
            command.CommandText = "PRAGMA journal_mode;";
            return (string)command.ExecuteScalar()!;
        });
        Assert.Equal("wal", mode);
    }

    [Fact]
    public void History_is_the_chain_oldest_first_and_starts_at_the_oldest_response_still_stored()
    {
        var store = new ResponseStore(ResponsesDatabase.Open(NewPath()));
        store.Insert(Response("resp_1", 100, text: "a1"), "", UserSays("q1"), null);
        store.Insert(Response("resp_2", 101, previous: "resp_1", text: "a2"), "", UserSays("q2"), null);
        store.Insert(Response("resp_3", 102, previous: "resp_2", text: "a3"), "", UserSays("q3"), null);

        Assert.Equal(["q1", "a1", "q2", "a2", "q3", "a3"], Texts(store.History("resp_3", "")!));
        Assert.Null(store.History("resp_3", "sha256:other"));

        // Reasoning and function calls come back as the items they were, in order.
        var thinking = Response("resp_4", 103, previous: "resp_3", text: "a4");
        thinking.Output.Insert(0, new ResponseOutputItem { Id = "rs_4", Type = "reasoning", Summary = [ResponseContentPart.SummaryText("hmm")], EncryptedContent = "hmm" });
        thinking.Output.Add(new ResponseOutputItem { Id = "fc_4", Type = "function_call", Status = "completed", CallId = "call_4", Name = "f", Arguments = "{}" });
        store.Insert(thinking, "", UserSays("q4"), null);
        var tail = store.History("resp_4", "")!.TakeLast(4).ToList();
        Assert.Equal(["message", "reasoning", "message", "function_call"], tail.Select(i => i.Type));
        Assert.Equal("hmm", tail[1].EncryptedContent);
        Assert.Equal(("call_4", "f", "{}"), (tail[3].CallId, tail[3].Name, tail[3].Arguments));
        Assert.Null(store.History("resp_9", ""));

        Assert.True(store.Delete("resp_1", ""));
        Assert.Equal(["q2", "a2", "q3", "a3"], Texts(store.History("resp_3", "")!));
        Assert.Null(store.History("resp_1", ""));
    }

    [Fact]
    public void Retention_removes_what_is_older_than_the_days_and_beyond_the_count()
    {
        var store = new ResponseStore(ResponsesDatabase.Open(NewPath()));
        var now = DateTimeOffset.FromUnixTimeSeconds(10_000_000);
        for (var i = 0; i < 6; i++)
        {
            // Two a day, going back from now: day 0, 0, 1, 1, 2, 2.
            store.Insert(Response($"resp_{i}", now.AddDays(-(i / 2)).AddMinutes(-i).ToUnixTimeSeconds()), "", UserSays("q"), null);
        }

        Assert.Equal(2, store.Prune(days: 2, max: 0, now.AddMinutes(1))); // the day-2 pair is older than 2 days
        Assert.Equal(["resp_0", "resp_1", "resp_2", "resp_3"], store.List(100).Select(r => r.Id));
        Assert.Equal(1, store.Prune(days: 0, max: 3, now));
        Assert.Equal(["resp_0", "resp_1", "resp_2"], store.List(100).Select(r => r.Id));
        Assert.Equal(0, store.Prune(days: 0, max: 0, now));
    }

    [Fact]
    public void Opening_for_the_server_marks_unfinished_background_responses_interrupted()
    {
        var path = NewPath();
        var store = new ResponseStore(ResponsesDatabase.Open(path));
        store.Insert(Response("resp_running", DateTimeOffset.UtcNow.ToUnixTimeSeconds(), status: "in_progress"), "", UserSays("q"), null);
        store.Insert(Response("resp_done", DateTimeOffset.UtcNow.ToUnixTimeSeconds()), "", UserSays("q"), null);

        var storage = new ResponseStorage(new ServerSettings { ResponsesDatabasePath = path }, NullLogger<ResponseStorage>.Instance);
        var running = JsonSerializer.Deserialize(storage.Responses!.Get("resp_running", "")!.ResponseJson, ResponsesJsonContext.Default.ResponseObject)!;
        Assert.Equal("incomplete", running.Status);
        Assert.Equal("interrupted", running.IncompleteDetails!.Reason);
        Assert.Equal("completed", storage.Responses.Get("resp_done", "")!.Status);
    }

    [Fact]
    public void Responses_db_setting_defaults_into_the_model_store_and_can_be_turned_off()
    {
        Assert.Equal(Path.Combine("/srv/models", "corral", "responses.db"), ServerSettings.FromVariables(k => k == "OLLAMA_MODELS" ? "/srv/models" : null).ResponsesDatabasePath);
        Assert.Null(ServerSettings.FromVariables(k => k == "CORRAL_RESPONSES_DB" ? "off" : null).ResponsesDatabasePath);
        Assert.Equal("/x/r.db", ServerSettings.FromVariables(k => k == "CORRAL_RESPONSES_DB" ? "/x/r.db" : null).ResponsesDatabasePath);
        var limits = ServerSettings.FromVariables(k => k switch { "CORRAL_RESPONSES_RETENTION_DAYS" => "7", "CORRAL_RESPONSES_MAX" => "0", _ => null });
        Assert.Equal(7, limits.ResponsesRetentionDays);
        Assert.Equal(0, limits.ResponsesMaxCount);
    }

    private static IEnumerable<string> Texts(IEnumerable<ResponsesInputItem> items) => items.Select(i => i.Content!.JoinedText());
}
