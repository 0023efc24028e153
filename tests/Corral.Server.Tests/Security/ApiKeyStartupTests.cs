using Corral.Testing;

namespace Corral.Server.Tests.Security;

/// <summary>A keys file that cannot be read must stop the server, never leave it open.</summary>
public sealed class ApiKeyStartupTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("key superuser\n")]
    public async Task A_missing_or_malformed_keys_file_stops_start_up(string? content)
    {
        var path = Path.Combine(TempFolders.Create("corral-badkeys-"), "keys");
        if (content is not null)
        {
            await File.WriteAllTextAsync(path, content);
        }

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerProcess.StartAsync(new Dictionary<string, string> { ["CORRAL_API_KEYS_FILE"] = path }));
        Assert.Contains("corral serve exited", ex.Message, StringComparison.Ordinal);
    }
}
