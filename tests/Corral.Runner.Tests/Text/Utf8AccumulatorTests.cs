using System.Text;
using Corral.Llama.Grammar;
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

    [Fact]
    public void Holds_back_exactly_what_the_grammar_sampler_counts_as_an_unfinished_character()
    {
        // Whatever byte stream GrammarConstrainedSampler lets through (Utf8SequenceState), streamed in pieces of any
        // size, comes out whole: never U+FFFD, and everything up to the last character boundary is emitted.
        var random = new Random(3);
        var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
        for (var run = 0; run < 2000; run++)
        {
            var bytes = new List<byte>();
            var boundaries = new List<int> { 0 };
            var state = Utf8SequenceState.Start;
            while (bytes.Count < 24)
            {
                var next = (byte)random.Next(256);
                if (state.TryAdvance(next, out var after))
                {
                    bytes.Add(next);
                    state = after;
                    if (state.IsAtCharacterBoundary)
                    {
                        boundaries.Add(bytes.Count);
                    }
                }
            }

            var acc = new Utf8Accumulator();
            var output = new StringBuilder();
            for (var offset = 0; offset < bytes.Count;)
            {
                var size = Math.Min(random.Next(1, 5), bytes.Count - offset);
                acc.Append(bytes.GetRange(offset, size).ToArray(), output);
                offset += size;
                var boundary = boundaries.Last(b => b <= offset);
                Assert.Equal(strict.GetString(bytes.GetRange(0, boundary).ToArray()), output.ToString());
            }
        }
    }
}
