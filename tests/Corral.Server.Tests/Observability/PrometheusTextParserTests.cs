namespace Corral.Server.Tests.Observability;

/// <summary>The test's own parser must reject what the format forbids, or it proves nothing.</summary>
public sealed class PrometheusTextParserTests
{
    private const string Good = """
        # HELP a_total Things, with a \\ and a \n.
        # TYPE a_total counter
        a_total{route="/x",q="say \"hi\"\n"} 3
        # TYPE h histogram
        h_bucket{le="0.5"} 1
        h_bucket{le="+Inf"} 2
        h_sum 1.25
        h_count 2

        """;

    [Fact]
    public void Parses_counters_histograms_and_escapes()
    {
        var scrape = PrometheusTextParser.Parse(Good.Replace("\r", string.Empty, StringComparison.Ordinal));
        Assert.Equal(3, scrape.Value("a_total", ("q", "say \"hi\"\n")));
        Assert.Equal("Things, with a \\ and a \n.", scrape.Families["a_total"].Help);
        Assert.Equal(2, scrape.Value("h_count"));
    }

    [Theory]
    [InlineData("a_total 1\n")] // no TYPE
    [InlineData("# TYPE a counter\na{b=\"c\"} 1")] // no final newline
    [InlineData("# TYPE a counter\na{b=c} 1\n")] // unquoted label value
    [InlineData("# TYPE a counter\na{b=\"\\t\"} 1\n")] // bad escape
    [InlineData("# TYPE a counter\na{1b=\"c\"} 1\n")] // bad label name
    [InlineData("# TYPE 1a counter\n")] // bad metric name
    [InlineData("# TYPE a counter\na 1\na 2\n")] // duplicate series
    [InlineData("# TYPE a counter\na -1\n")] // negative counter
    [InlineData("# TYPE a counter\na one\n")] // bad value
    [InlineData("# TYPE a counter\n# TYPE a counter\n")] // second TYPE
    [InlineData("# TYPE a counter\na{b=\"c\" 1\n")] // unterminated label set
    [InlineData("# TYPE a counter\na{x=\"1\"} 1\n# TYPE b gauge\nb 1\na{x=\"2\"} 1\n")] // family not contiguous
    [InlineData("# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n")] // no +Inf bucket
    [InlineData("# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n")] // not cumulative
    [InlineData("# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 1\n")] // +Inf != count
    [InlineData("# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_count 1\n")] // no sum
    public void Rejects_what_the_format_forbids(string text) =>
        Assert.Throws<FormatException>(() => PrometheusTextParser.Parse(text));
}
