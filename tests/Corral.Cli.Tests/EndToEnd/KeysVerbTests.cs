using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Corral.Testing;

namespace Corral.Cli.Tests.EndToEnd;

/// <summary><c>corral keys add</c> writes only hashes, and a running server accepts a new key without a restart.</summary>
public sealed class KeysVerbTests
{
    private readonly string _home = TempFolders.Create("corral-keys-home-");

    private string KeysFile => Path.Combine(_home, "keys");

    private Task<CliResult> RunAsync(params string[] args) => CorralCli.RunAsync("127.0.0.1:9", _home, args);

    [Fact]
    public async Task Add_prints_a_new_key_once_and_stores_only_its_hash()
    {
        var added = await RunAsync("keys", "add", "--file", KeysFile, "--scope", "read", "--name", "alice laptop");
        Assert.True(added.ExitCode == 0, added.ToString());
        var key = added.StandardOutput.Trim();
        Assert.Matches("^corral-[A-Za-z0-9_-]{43}$", key);

        var content = await File.ReadAllTextAsync(KeysFile);
        Assert.DoesNotContain(key, content);
        Assert.Equal($"sha256:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))} read # alice laptop\n", content);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeysFile));
        }
        Assert.Contains("'read' key", added.StandardError);

        var second = await RunAsync("keys", "add", "--file", KeysFile);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.NotEqual(key, second.StandardOutput.Trim());
        var lines = (await File.ReadAllLinesAsync(KeysFile)).ToArray();
        Assert.Equal(2, lines.Length);
        Assert.EndsWith(" infer", lines[1]); // the default scope
    }

    [Theory]
    [InlineData(true, "keys", "add", "--scope", "root")]
    [InlineData(true, "keys", "remove")] // an unknown action, given a file it could change
    [InlineData(false, "keys", "add")] // no --file and no CORRAL_API_KEYS_FILE
    public async Task Bad_usage_fails_without_touching_any_file(bool passFile, params string[] args)
    {
        // A keys file with one key in it: a bad command must neither append to nor rewrite it, and
        // without --file it must not fall back to some other file under HOME either.
        var seeded = $"sha256:{Convert.ToHexStringLower(SHA256.HashData("corral-seed"u8))} read # seed\n";
        await File.WriteAllTextAsync(KeysFile, seeded);
        var before = HomeFiles();

        var result = await RunAsync(passFile ? [.. args, "--file", KeysFile] : args);
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Error: ", result.StandardError);
        Assert.Equal(seeded, await File.ReadAllTextAsync(KeysFile));
        Assert.Equal(before, HomeFiles());
    }

    private string[] HomeFiles() =>
        [.. Directory.EnumerateFileSystemEntries(_home, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task A_malformed_keys_file_is_not_appended_to()
    {
        await File.WriteAllTextAsync(KeysFile, "somekey superuser\n");
        var result = await RunAsync("keys", "add", "--file", KeysFile);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("unknown scope 'superuser'", result.StandardError);
        Assert.Equal("somekey superuser\n", await File.ReadAllTextAsync(KeysFile));
    }

    [Fact]
    public async Task A_running_server_accepts_keys_added_after_it_started()
    {
        var first = (await RunAsync("keys", "add", "--file", KeysFile, "--scope", "read")).StandardOutput.Trim();
        await using var server = await InProcessServer.StartAsync(new Dictionary<string, string> { ["CORRAL_API_KEYS_FILE"] = KeysFile });
        using var http = server.CreateClient();

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, HttpMethod.Get, "/api/tags", first));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(http, HttpMethod.Delete, "/api/delete", first));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, HttpMethod.Get, "/api/tags", null));

        var admin = (await RunAsync("keys", "add", "--file", KeysFile, "--scope", "admin")).StandardOutput.Trim();

        // The server looks at the file at most once a second; give it a few.
        var status = HttpStatusCode.Unauthorized;
        for (var attempt = 0; attempt < 50 && status == HttpStatusCode.Unauthorized; attempt++)
        {
            await Task.Delay(100);
            status = await StatusAsync(http, HttpMethod.Delete, "/api/delete", admin);
        }

        // Authorised now: the delete itself fails only because the body names no model.
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, HttpMethod.Get, "/api/tags", first));

        // A broken edit keeps the last good keys rather than opening or locking the server.
        await File.AppendAllTextAsync(KeysFile, "x y z\n");
        await Task.Delay(1500);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, HttpMethod.Get, "/api/tags", first));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, HttpMethod.Get, "/api/tags", null));
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, HttpMethod method, string path, string? key)
    {
        using var request = new HttpRequestMessage(method, path);
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        if (method == HttpMethod.Delete)
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
