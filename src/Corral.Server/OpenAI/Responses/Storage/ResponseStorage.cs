using Corral.Server.Configuration;
using Corral.Server.Http;
using Microsoft.Extensions.Logging;

namespace Corral.Server.OpenAI.Responses.Storage;

/// <summary>
/// The server's stored responses and conversations, or none with <c>CORRAL_RESPONSES_DB=off</c>. Opened when the
/// server starts, so a database that cannot be used stops it with a clear message instead of failing requests;
/// background responses a previous run left unfinished are marked interrupted, and retention runs then and
/// after every <see cref="PruneEvery"/> stored responses.
/// </summary>
public sealed partial class ResponseStorage
{
    private const int PruneEvery = 64;
    private readonly ServerSettings _settings;
    private readonly ILogger<ResponseStorage> _logger;
    private int _savedSincePrune;

    public ResponseStorage(ServerSettings settings, ILogger<ResponseStorage> logger)
    {
        _settings = settings;
        _logger = logger;
        if (settings.ResponsesDatabasePath is not { } path)
        {
            return;
        }

        if (path == ServerSettings.DefaultResponsesDatabasePath(settings.ModelsPath) && !File.Exists(path) && !CanCreateFileIn(Path.GetDirectoryName(path)!))
        {
            // A read-only model store serves models as Ollama's does; only the state is missing. A path named
            // on purpose (CORRAL_RESPONSES_DB) that cannot be used stops the server instead.
            LogNoStorage(_logger, path);
            return;
        }

        ResponsesDatabase database;
        try
        {
            database = ResponsesDatabase.Open(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            throw new ResponsesDatabaseException($"the responses database {path} cannot be opened ({ex.Message.TrimEnd('.')}); set CORRAL_RESPONSES_DB to a file Corral may write, or to \"off\"", ex);
        }

        Responses = new ResponseStore(database);
        Conversations = new ConversationStore(database);
        var interrupted = Responses.MarkInterrupted();
        var pruned = Prune();
        LogOpened(_logger, database.Path, interrupted, pruned);
    }

    public bool Enabled => Responses is not null;

    public ResponseStore? Responses { get; }

    public ConversationStore? Conversations { get; }

    public ResponseStore RequireResponses => Responses ?? throw Off();

    public ConversationStore RequireConversations => Conversations ?? throw Off();

    public void EnsureEnabled()
    {
        if (!Enabled)
        {
            throw Off();
        }
    }

    /// <summary>Called after a response is stored: every so often, retention removes what is too old or too many.</summary>
    public void Saved()
    {
        if (Interlocked.Increment(ref _savedSincePrune) % PruneEvery == 0)
        {
            Prune();
        }
    }

    private int Prune()
    {
        var removed = Responses!.Prune(_settings.ResponsesRetentionDays, _settings.ResponsesMaxCount, DateTimeOffset.UtcNow);
        if (removed > 0)
        {
            LogPruned(_logger, removed);
        }

        return removed;
    }

    private static bool CanCreateFileIn(string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
            var probe = Path.Combine(directory, $".probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static ApiException Off() => ApiException.BadRequest("stored responses are off on this server (CORRAL_RESPONSES_DB=off): send the whole conversation in input");

    [LoggerMessage(Level = LogLevel.Information, Message = "responses database {Path} (marked {Interrupted} unfinished background responses interrupted, pruned {Pruned})")]
    private static partial void LogOpened(ILogger logger, string path, int interrupted, int pruned);

    [LoggerMessage(Level = LogLevel.Warning, Message = "stored responses are off: cannot create {Path} (the model store is read-only?); set CORRAL_RESPONSES_DB to a writable file")]
    private static partial void LogNoStorage(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "pruned {Count} stored responses (CORRAL_RESPONSES_RETENTION_DAYS, CORRAL_RESPONSES_MAX)")]
    private static partial void LogPruned(ILogger logger, int count);
}
