using System.Text;
using Microsoft.Data.Sqlite;

namespace Corral.Server.OpenAI.Responses.Storage;

/// <summary>
/// The SQLite file of stored responses and conversations: WAL (readers never wait for the writer; a crash loses
/// at most the transaction in flight, never part of one), synchronous FULL, foreign keys on, a busy timeout so
/// writers from several requests (or a <c>corral responses</c> in another process) take turns. Opening checks the
/// file before SQLite writes anything to it: a file that is not SQLite's, damaged, locked or from a newer Corral
/// is refused with a clear message and left untouched.
/// </summary>
public sealed class ResponsesDatabase
{
    private const int BusyTimeoutSeconds = 5;
    private static readonly byte[] SqliteHeader = Encoding.ASCII.GetBytes("SQLite format 3\0");
    private readonly string _connectionString;

    private ResponsesDatabase(string path, string connectionString)
    {
        Path = path;
        _connectionString = connectionString;
    }

    public string Path { get; }

    /// <summary>Opens (creating when absent) and migrates the database at <paramref name="path"/>.</summary>
    public static ResponsesDatabase Open(string path)
    {
        path = System.IO.Path.GetFullPath(path);
        CheckHeader(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = BusyTimeoutSeconds,
        }.ToString();
        var database = new ResponsesDatabase(path, connectionString);
        try
        {
            using var connection = database.Connect();

            // Only reads until the file is known to be sound and of a version this Corral knows: switching to WAL
            // already rewrites the header.
            if (Scalar(connection, "PRAGMA quick_check;") is not "ok" and var problem)
            {
                throw new ResponsesDatabaseException($"the responses database {path} is damaged ({problem}); Corral leaves it as it is: move it aside or restore a copy, or set CORRAL_RESPONSES_DB to another file");
            }

            CheckVersion(connection, path);
            Execute(connection, "PRAGMA journal_mode = WAL;");
            Migrate(connection, path);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 5 or 6) // SQLITE_BUSY, SQLITE_LOCKED
        {
            SqliteConnection.ClearPool(new SqliteConnection(connectionString));
            throw new ResponsesDatabaseException($"the responses database {path} is locked by another process (waited {BusyTimeoutSeconds} s): stop it, or set CORRAL_RESPONSES_DB to another file", ex);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 11 or 26) // SQLITE_CORRUPT, SQLITE_NOTADB
        {
            SqliteConnection.ClearPool(new SqliteConnection(connectionString));
            throw new ResponsesDatabaseException($"the responses database {path} is damaged ({ex.Message.TrimEnd('.')}); Corral leaves it as it is: move it aside or restore a copy, or set CORRAL_RESPONSES_DB to another file", ex);
        }

        return database;
    }

    /// <summary>An open connection (from the pool) with this database's settings.</summary>
    public SqliteConnection Connect()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, $"PRAGMA busy_timeout = {BusyTimeoutSeconds * 1000}; PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;");
        return connection;
    }

    /// <summary>Runs <paramref name="work"/> in one write transaction (BEGIN IMMEDIATE: it waits for other writers up front, never half-way).</summary>
    public T Write<T>(Func<SqliteConnection, SqliteTransaction, T> work)
    {
        using var connection = Connect();
        using var transaction = connection.BeginTransaction(deferred: false);
        var result = work(connection, transaction);
        transaction.Commit();
        return result;
    }

    public T Read<T>(Func<SqliteConnection, T> work)
    {
        using var connection = Connect();
        return work(connection);
    }

    /// <summary>
    /// A file that does not start with SQLite's header is refused before SQLite opens it: SQLite would report
    /// it only at the first read, and a zero-length file it would happily turn into a database.
    /// </summary>
    private static void CheckHeader(string path)
    {
        if (!File.Exists(path))
        {
            return;
        }

        using var file = File.OpenRead(path);
        if (file.Length == 0)
        {
            return;
        }

        Span<byte> header = stackalloc byte[16];
        if (file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length || !header.SequenceEqual(SqliteHeader))
        {
            throw new ResponsesDatabaseException($"{path} is not a SQLite database (its header is not SQLite's), so it cannot hold Corral's stored responses; Corral leaves it as it is: move it aside, or set CORRAL_RESPONSES_DB to another file");
        }
    }

    private static void CheckVersion(SqliteConnection connection, string path)
    {
        if (Scalar(connection, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version';") is 0L)
        {
            if (Scalar(connection, "SELECT COUNT(*) FROM sqlite_master;") is not 0L)
            {
                throw new ResponsesDatabaseException($"{path} is a SQLite database of something else (it has tables but no schema_version); Corral leaves it as it is: set CORRAL_RESPONSES_DB to another file");
            }

            return;
        }

        var version = Convert.ToInt32(Scalar(connection, "SELECT COALESCE(MAX(version), 0) FROM schema_version;"), System.Globalization.CultureInfo.InvariantCulture);
        if (version > SchemaMigrations.Latest)
        {
            throw new ResponsesDatabaseException($"the responses database {path} has schema version {version}, newer than this Corral knows ({SchemaMigrations.Latest}); Corral leaves it as it is: run a newer Corral, or set CORRAL_RESPONSES_DB to another file");
        }
    }

    private static void Migrate(SqliteConnection connection, string path)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        Execute(connection, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);", transaction);
        var version = Convert.ToInt32(Scalar(connection, "SELECT COALESCE(MAX(version), 0) FROM schema_version;", transaction), System.Globalization.CultureInfo.InvariantCulture);
        if (version > SchemaMigrations.Latest)
        {
            // Another Corral upgraded it between the check and now.
            throw new ResponsesDatabaseException($"the responses database {path} has schema version {version}, newer than this Corral knows ({SchemaMigrations.Latest}); Corral leaves it as it is: run a newer Corral, or set CORRAL_RESPONSES_DB to another file");
        }

        for (var step = version; step < SchemaMigrations.Latest; step++)
        {
            Execute(connection, SchemaMigrations.Steps[step], transaction);
        }

        if (version < SchemaMigrations.Latest)
        {
            Execute(connection, "DELETE FROM schema_version;", transaction);
            Execute(connection, $"INSERT INTO schema_version (version) VALUES ({SchemaMigrations.Latest});", transaction);
        }

        transaction.Commit();
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command.ExecuteScalar();
    }
}
