using System.Text;
using Corral.Runner.Text;

namespace Corral.Runner.Tests.Text;

public sealed class StopSequenceMatcherTests
{
    private static (string Emitted, bool Stopped) Feed(string[] stops, params string[] pieces)
    {
        var matcher = new StopSequenceMatcher(stops);
        var output = new StringBuilder();
        foreach (var piece in pieces)
        {
            if (matcher.Push(piece, output))
            {
                return (output.ToString(), true);
            }
        }

        matcher.Flush(output);
        return (output.ToString(), false);
    }

    [Fact]
    public void Stop_split_across_pieces_is_found_and_never_emitted()
    {
        var (emitted, stopped) = Feed(["END"], "hello E", "N", "D tail");
        Assert.True(stopped);
        Assert.Equal("hello ", emitted);
    }

    [Fact]
    public void Possible_prefix_is_held_then_released_when_it_diverges()
    {
        var matcher = new StopSequenceMatcher(["<|im_end|>"]);
        var output = new StringBuilder();
        Assert.False(matcher.Push("abc<|im", output));
        Assert.Equal("abc", output.ToString());
        Assert.False(matcher.Push("x", output));
        Assert.Equal("abc<|imx", output.ToString());
    }

    [Fact]
    public void Earliest_of_several_stops_wins()
    {
        var (emitted, stopped) = Feed(["world", "lo"], "hello world");
        Assert.True(stopped);
        Assert.Equal("hel", emitted);
    }

    [Fact]
    public void Matched_names_the_stop_that_ended_the_text()
    {
        var matcher = new StopSequenceMatcher(["world", "lo", "zzz"]);
        var output = new StringBuilder();
        Assert.False(matcher.Push("hel", output));
        Assert.Null(matcher.Matched);
        Assert.True(matcher.Push("lo world", output));
        Assert.Equal("lo", matcher.Matched);
    }

    [Fact]
    public void Without_stops_everything_passes_through()
    {
        var (emitted, stopped) = Feed([], "a", "b");
        Assert.False(stopped);
        Assert.Equal("ab", emitted);
    }

    [Fact]
    public void Held_text_is_flushed_at_the_end()
    {
        var (emitted, stopped) = Feed(["STOP"], "xyz ST");
        Assert.False(stopped);
        Assert.Equal("xyz ST", emitted);
    }
}
