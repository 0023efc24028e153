using System.Collections.Concurrent;

namespace Corral.Testing;

/// <summary>
/// Temp folders that live as long as the test process: each is removed when the process exits, so fixtures that hand
/// a folder to a server (keys files, model files) need no teardown of their own and a run leaves nothing behind.
/// </summary>
public static class TempFolders
{
    private static readonly ConcurrentBag<string> Created = [];

    static TempFolders() => AppDomain.CurrentDomain.ProcessExit += (_, _) => DeleteAll();

    /// <summary>A new folder under the temp path, named <paramref name="prefix"/> plus random characters.</summary>
    public static string Create(string prefix)
    {
        var path = Directory.CreateTempSubdirectory(prefix).FullName;
        Created.Add(path);
        return path;
    }

    private static void DeleteAll()
    {
        foreach (var path in Created)
        {
            try
            {
                Directory.Delete(path, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }
        }
    }
}
