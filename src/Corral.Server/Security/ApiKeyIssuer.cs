using System.Security.Cryptography;

namespace Corral.Server.Security;

/// <summary>
/// Makes new API keys for <c>corral keys add</c>: 32 random bytes, appended to the keys file as a
/// SHA-256 hash only (the clear key is shown once and stored nowhere). The file is rewritten
/// atomically with owner-only permissions, so a running server never reads half a line.
/// </summary>
public static class ApiKeyIssuer
{
    private const string Prefix = "corral-";

    public static string Add(string path, ApiScope scope, string? name = null)
    {
        if (name is not null && (name.Contains('\n') || name.Contains('\r')))
        {
            throw new ArgumentException("a key name must be one line", nameof(name));
        }

        var existing = File.Exists(path) ? File.ReadAllLines(path) : [];

        // Refuse to append to a file the server could not read: the new key would silently not work.
        ApiKeyStore.Parse(existing, path);

        var key = Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var line = ApiKeyStore.HashedLine(key, scope);
        if (!string.IsNullOrWhiteSpace(name))
        {
            line += " # " + name.Trim();
        }

        WriteAtomically(path, [.. existing, line]);
        return key;
    }

    private static void WriteAtomically(string path, IEnumerable<string> lines)
    {
        var full = System.IO.Path.GetFullPath(path);
        var directory = System.IO.Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temp = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temp, options))
            using (var writer = new StreamWriter(stream))
            {
                foreach (var line in lines)
                {
                    writer.Write(line);
                    writer.Write('\n');
                }

                writer.Flush();
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
