using Corral.Api.Json;

namespace Corral.Api.Tests.Json;

public sealed class GoDurationTests
{
    [Theory]
    [InlineData("5m", 300_000_000_000L)]
    [InlineData("1h30m", 5_400_000_000_000L)]
    [InlineData("10s", 10_000_000_000L)]
    [InlineData("1.5s", 1_500_000_000L)]
    [InlineData("300ms", 300_000_000L)]
    [InlineData("2us", 2_000L)]
    [InlineData("2µs", 2_000L)]
    [InlineData("7ns", 7L)]
    [InlineData("-1m", -60_000_000_000L)]
    [InlineData("0", 0L)]
    [InlineData("1h0m0s", 3_600_000_000_000L)]
    [InlineData("1.m", 60_000_000_000L)]
    public void Parses_go_duration_text(string text, long expected) => Assert.Equal(expected, GoDuration.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("5x")]
    [InlineData("m")]
    [InlineData("1h-5m")]
    public void Rejects_invalid_text(string text) => Assert.Throws<FormatException>(() => GoDuration.Parse(text));

    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(300_000_000_000L, "5m0s")]
    [InlineData(5_400_000_000_000L, "1h30m0s")]
    [InlineData(1_500_000_000L, "1.5s")]
    [InlineData(300_000_000L, "300ms")]
    [InlineData(1_500L, "1.5µs")]
    [InlineData(7L, "7ns")]
    [InlineData(-60_000_000_000L, "-1m0s")]
    [InlineData(3_661_000_000_001L, "1h1m1.000000001s")]
    public void Formats_like_go(long nanoseconds, string expected) => Assert.Equal(expected, GoDuration.Format(nanoseconds));
}
