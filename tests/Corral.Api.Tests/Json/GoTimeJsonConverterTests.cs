using System.Text;
using System.Text.Json;
using Corral.Api.Json;
using Corral.Api.Ollama;

namespace Corral.Api.Tests.Json;

public sealed class GoTimeJsonConverterTests
{
    [Fact]
    public void Writes_utc_with_trimmed_fraction_and_Z()
    {
        var value = new DateTimeOffset(2024, 1, 1, 12, 0, 0, TimeSpan.Zero).AddTicks(1_234_560);
        Assert.Equal("2024-01-01T12:00:00.123456Z", GoTimeJsonConverter.Format(value));
    }

    [Fact]
    public void Writes_whole_seconds_without_fraction_and_offsets_unescaped()
    {
        var value = new DateTimeOffset(2023, 11, 4, 14, 56, 49, TimeSpan.FromHours(5.5));
        var response = new ListModelResponse { ModifiedAt = value };
        var json = JsonSerializer.Serialize(response, OllamaJsonContext.Default.ListModelResponse);
        Assert.Contains("\"modified_at\":\"2023-11-04T14:56:49+05:30\"", json);
    }

    [Fact]
    public void Zero_time_is_gos_zero_time() =>
        Assert.Equal("0001-01-01T00:00:00Z", GoTimeJsonConverter.Format(DateTimeOffset.MinValue));

    [Theory]
    [InlineData("2023-08-04T19:22:45.499127Z", 2023, 8, 4, 19, 22, 45, 4991270, 0)]
    [InlineData("2024-05-10T08:06:48.639712648-07:00", 2024, 5, 10, 8, 6, 48, 6397126, -420)]
    [InlineData("2024-06-04T14:38:31+02:00", 2024, 6, 4, 14, 38, 31, 0, 120)]
    public void Reads_rfc3339_nano(string text, int y, int mo, int d, int h, int mi, int s, int ticks, int offsetMinutes)
    {
        Assert.True(GoTimeJsonConverter.TryParse(Encoding.ASCII.GetBytes(text), out var value));
        var expected = new DateTimeOffset(y, mo, d, h, mi, s, TimeSpan.FromMinutes(offsetMinutes)).AddTicks(ticks);
        Assert.Equal(expected, value);
        Assert.Equal(expected.Offset, value.Offset);
    }

    [Theory]
    [InlineData("2024-01-01 12:00:00Z")]
    [InlineData("2024-01-01T12:00:00")]
    [InlineData("2024-13-01T12:00:00Z")]
    [InlineData("2024-01-01T12:00:00.Z")]
    public void Rejects_malformed(string text) => Assert.False(GoTimeJsonConverter.TryParse(Encoding.ASCII.GetBytes(text), out _));
}
