using System.Text;
using Corral.Runner.Text;

namespace Corral.Runner.Tests.Text;

public sealed class Utf8AccumulatorTests
{
    [Theory]
    [InlineData("é")]
    [InlineData("€")]
    [InlineData("🦙")]
    [InlineData("a🦙b€c")]
    public void Characters_split_at_every_byte_boundary_come_out_whole(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        for (var split = 1; split < bytes.Length; split++)
        {
            var acc = new Utf8Accumulator();
            var first = new StringBuilder();
            acc.Append(bytes.AsSpan(0, split), first);
            var second = new StringBuilder();
            acc.Append(bytes.AsSpan(split), second);

            Assert.Equal(text, first.ToString() + second);
            Assert.DoesNotContain('\uFFFD', first.ToString());
        }
    }

    [Fact]
    public void One_byte_at_a_time_builds_the_text()
    {
        const string text = "naïve 🦙 ∑";
        var acc = new Utf8Accumulator();
        var output = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            acc.Append([b], output);
        }

        Assert.Equal(text, output.ToString());
    }

    [Fact]
    public void Incomplete_sequence_at_the_end_is_flushed_as_replacement()
    {
        var acc = new Utf8Accumulator();
        var output = new StringBuilder();
        acc.Append([0x61, 0xF0, 0x9F], output);
        Assert.Equal("a", output.ToString());
        acc.Flush(output);
        Assert.Equal("a\uFFFD", output.ToString());
    }
}
