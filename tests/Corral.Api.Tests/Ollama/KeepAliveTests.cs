using System.Text.Json;
using Corral.Api.Ollama;

namespace Corral.Api.Tests.Ollama;

public sealed class KeepAliveTests
{
    private static KeepAlive? Read(string keepAliveJson) =>
        JsonSerializer.Deserialize($$"""{"model":"m","keep_alive":{{keepAliveJson}}}""", OllamaJsonContext.Default.GenerateRequest)!.KeepAlive;

    [Theory]
    [InlineData("\"5m\"", 300L)]
    [InlineData("\"1h30m\"", 5400L)]
    [InlineData("\"10s\"", 10L)]
    [InlineData("30", 30L)]
    [InlineData("\"300\"", 300L)]
    [InlineData("0", 0L)]
    [InlineData("\"0\"", 0L)]
    public void Reads_durations(string json, long seconds) =>
        Assert.Equal(seconds * 1_000_000_000L, Read(json)!.Value.Nanoseconds);

    [Theory]
    [InlineData("-1")]
    [InlineData("\"-1\"")]
    [InlineData("\"-1m\"")]
    [InlineData("-0.5")]
    public void Negative_means_forever(string json)
    {
        var value = Read(json)!.Value;
        Assert.True(value.IsForever);
        Assert.Null(value.Duration);
    }

    [Fact]
    public void Zero_means_unload_now() => Assert.True(Read("0")!.Value.IsUnloadNow);

    [Fact]
    public void Absent_and_null_are_unset()
    {
        Assert.Null(Read("null"));
        Assert.Null(JsonSerializer.Deserialize("""{"model":"m"}""", OllamaJsonContext.Default.GenerateRequest)!.KeepAlive);
    }

    [Theory]
    [InlineData("\"5 minutes\"")]
    [InlineData("true")]
    [InlineData("{}")]
    public void Rejects_bad_values(string json) => Assert.Throws<JsonException>(() => Read(json));

    [Fact]
    public void Writes_go_string_or_minus_one()
    {
        var request = new GenerateRequest { Model = "m", KeepAlive = KeepAlive.Parse("1h30m") };
        Assert.Contains("\"keep_alive\":\"1h30m0s\"", JsonSerializer.Serialize(request, OllamaJsonContext.Default.GenerateRequest));
        request.KeepAlive = KeepAlive.Forever;
        Assert.Contains("\"keep_alive\":-1", JsonSerializer.Serialize(request, OllamaJsonContext.Default.GenerateRequest));
    }

    [Fact]
    public void Parses_env_var_forms()
    {
        Assert.Equal(KeepAlive.Default, KeepAlive.Parse("5m"));
        Assert.True(KeepAlive.Parse("-1").IsForever);
        Assert.Equal(TimeSpan.FromHours(24), KeepAlive.Parse("24h").Duration);
        Assert.False(KeepAlive.TryParse("soon", out _));
    }
}
