using System.Diagnostics;
using Corral.Testing;
using Microsoft.Data.Sqlite;

namespace Corral.OpenAI.Tests;

/// <summary>
/// <c>corral serve</c> with a responses database it cannot use: it does not start, says why and which file, and
/// leaves the file byte for byte as it was.
/// </summary>
public sealed class ResponsesDatabaseStartTests : IDisposable
{
    private readonly List<string> _folders = [];

    public void Dispose()
    {
        foreach (var folder in _folders)
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private string Folder(string prefix)
    {
        var folder = Directory.CreateTempSubdirectory(prefix).FullName;
        _folders.Add(folder);
        return folder;
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_is_refused_and_left_alone()
    {
        var path = Path.Combine(Folder("responses-db-"), "responses.db");
        var garbage = "this is somebody's notes, not a database\n"u8.ToArray();
        await File.WriteAllBytesAsync(path, garbage);

        var (code, error) = await ServeAsync(path);
        Assert.Equal(1, code);
        Assert.Contains($"{path} is not a SQLite database", error);
        Assert.Equal(garbage, await File.ReadAllBytesAsync(path));
        Assert.False(File.Exists(path + "-wal"));
    }

    [Fact]
    public async Task A_damaged_database_is_refused_and_left_alone()
    {
        var path = Path.Combine(Folder("responses-db-"), "responses.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE t (x TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) INSERT INTO t SELECT hex(randomblob(64)) FROM n;";
            command.ExecuteNonQuery();
        }

        // Keep SQLite's header, overwrite pages after it.
        var bytes = await File.ReadAllBytesAsync(path);
        Assert.True(bytes.Length > 16384);
        Array.Fill(bytes, (byte)0xA5, 4096, bytes.Length - 8192);
        await File.WriteAllBytesAsync(path, bytes);

        var (code, error) = await ServeAsync(path);
        Assert.Equal(1, code);
        Assert.Contains($"the responses database {path} is damaged", error);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task A_database_locked_by_another_process_is_refused_and_left_alone()
    {
        var path = Path.Combine(Folder("responses-db-"), "responses.db");
        using var holder = new SqliteConnection($"Data Source={path};Pooling=False");
        holder.Open();
        using (var create = holder.CreateCommand())
        {
            create.CommandText = "CREATE TABLE notes (x TEXT); INSERT INTO notes VALUES ('mine');";
            create.ExecuteNonQuery();
        }

        var before = await File.ReadAllBytesAsync(path);

        // An exclusive lock in SQLite's default (rollback journal) mode: no other connection may read or write.
        Execute(holder, "BEGIN EXCLUSIVE;");
        var (code, error) = await ServeAsync(path);
        Execute(holder, "ROLLBACK;");
        Assert.Equal(1, code);
        Assert.Contains($"the responses database {path} is locked by another process", error);
        Assert.Equal(before, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task A_database_from_a_newer_corral_is_refused_and_left_alone()
    {
        var path = Path.Combine(Folder("responses-db-"), "responses.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (999);";
            command.ExecuteNonQuery();
        }

        var before = await File.ReadAllBytesAsync(path);
        var (code, error) = await ServeAsync(path);
        Assert.Equal(1, code);
        Assert.Contains("schema version 999, newer than this Corral knows", error);
        Assert.Equal(before, await File.ReadAllBytesAsync(path));
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Runs <c>corral serve</c> on <paramref name="database"/> until it exits (it should, at once); kills it otherwise.</summary>
    private async Task<(int Code, string Error)> ServeAsync(string database)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(CorralPaths.CorralDll);
        info.ArgumentList.Add("serve");
        info.Environment["OLLAMA_HOST"] = $"127.0.0.1:{ChildProcessReadiness.FreeLoopbackPort()}";
        info.Environment["OLLAMA_MODELS"] = Folder("responses-db-models-");
        info.Environment["CORRAL_RESPONSES_DB"] = database;
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"corral serve started on an unusable database:\n{await stdout}\n{await stderr}");
        }

        return (process.ExitCode, await stderr + await stdout);
    }
}
