using Corral.Cli.Output;

namespace Corral.Cli.Tests.Output;

public sealed class HumanFormatTests
{
    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(999, "999 B")]
    [InlineData(1000, "1 KB")]
    [InlineData(1_300_000_000, "1.3 GB")]
    [InlineData(2_000_000_000, "2 GB")]
    [InlineData(4_661_224_676, "4.7 GB")]
    [InlineData(23_400_000, "23 MB")]
    [InlineData(145_000_000, "145 MB")]
    [InlineData(1_500_000_000_000, "1.5 TB")]
    public void Bytes_use_decimal_units_like_ollama(long bytes, string expected) => Assert.Equal(expected, HumanFormat.Bytes(bytes));

    [Theory]
    [InlineData(0.5, "Less than a second")]
    [InlineData(1, "1 second")]
    [InlineData(42, "42 seconds")]
    [InlineData(90, "About a minute")]
    [InlineData(150, "2 minutes")]
    [InlineData(3600, "About an hour")]
    [InlineData(5 * 3600, "5 hours")]
    [InlineData(3 * 86400, "3 days")]
    [InlineData(21 * 86400, "3 weeks")]
    [InlineData(90 * 86400, "3 months")]
    [InlineData(800 * 86400, "2 years")]
    public void Durations_are_coarse(double seconds, string expected) => Assert.Equal(expected, HumanFormat.Duration(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Times_read_relative_to_now()
    {
        var now = new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal("2 minutes ago", HumanFormat.Time(now.AddMinutes(-2), now, "Never"));
        Assert.Equal("4 minutes from now", HumanFormat.Time(now.AddMinutes(4).AddSeconds(30), now, "Never"));
        Assert.Equal("Forever", HumanFormat.Time(now.AddYears(200), now, "Never"));
        Assert.Equal("Never", HumanFormat.Time(default, now, "Never"));
    }

    [Theory]
    [InlineData(8_000_000_000UL, "8B")]
    [InlineData(1_235_814_400UL, "1.2B")]
    [InlineData(135_000_000UL, "135M")]
    [InlineData(999UL, "999")]
    public void Parameter_counts(ulong count, string expected) => Assert.Equal(expected, HumanFormat.Number(count));

    [Theory]
    [InlineData(4096.0, "4096")]
    [InlineData(1_000_000.0, "1e+06")]
    [InlineData(0.5, "0.5")]
    [InlineData(1e-5, "1e-05")]
    [InlineData(1.5e7, "1.5e+07")]
    public void Go_g_format(double value, string expected) => Assert.Equal(expected, GoFloat.FormatG(value));
}
