using Corral.Server.Configuration;

namespace Corral.Server.Tests.Configuration;

/// <summary>Ollama's environment variables bind as Ollama reads them.</summary>
public sealed class ServerSettingsTests
{
    private static ServerSettings From(params (string Key, string Value)[] vars)
    {
        var map = vars.ToDictionary(v => v.Key, v => v.Value);
        return ServerSettings.FromVariables(k => map.GetValueOrDefault(k));
    }

    [Fact]
    public void Defaults_are_ollamas()
    {
        var s = From();
        Assert.Equal(OllamaHost.Default, s.Host);
        Assert.Equal(TimeSpan.FromMinutes(5), s.KeepAlive);
        Assert.Equal(512, s.MaxQueue);
        Assert.Equal(4096, s.ContextLength);
        Assert.EndsWith(Path.Combine(".ollama", "models"), s.ModelsPath);
    }

    [Theory]
    [InlineData("10m", 600)]
    [InlineData("1h30m", 5400)]
    [InlineData("300", 300)]
    [InlineData("0", 0)]
    public void Keep_alive_accepts_go_durations_and_seconds(string value, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), From(("OLLAMA_KEEP_ALIVE", value)).KeepAlive);

    [Theory]
    [InlineData("-1")]
    [InlineData("-5m")]
    public void Negative_keep_alive_is_forever(string value) =>
        Assert.Equal(Durations.Forever, From(("OLLAMA_KEEP_ALIVE", value)).KeepAlive);

    [Fact]
    public void Negative_load_timeout_means_practically_never_and_stays_usable_as_a_timer()
    {
        var s = From(("OLLAMA_LOAD_TIMEOUT", "-1"));
        Assert.Equal(ServerSettings.NoLoadTimeout, s.LoadTimeout);
        using var cts = new CancellationTokenSource();
        cts.CancelAfter(s.LoadTimeout);
    }

    [Theory]
    [InlineData("0.0.0.0", "0.0.0.0", 11434)]
    [InlineData(":8080", "127.0.0.1", 8080)]
    [InlineData("http://example.com", "example.com", 80)]
    [InlineData("https://example.com", "example.com", 443)]
    [InlineData("[::1]:9000", "::1", 9000)]
    [InlineData("localhost:1234", "localhost", 1234)]
    public void Ollama_host_parses_like_ollama(string value, string host, int port)
    {
        var parsed = OllamaHost.Parse(value);
        Assert.Equal(host, parsed.Host);
        Assert.Equal(port, parsed.Port);
    }

    [Fact]
    public void Bad_numbers_are_a_clear_error()
    {
        var error = Assert.Throws<FormatException>(() => From(("OLLAMA_NUM_PARALLEL", "four")));
        Assert.Contains("OLLAMA_NUM_PARALLEL", error.Message);
    }
}
