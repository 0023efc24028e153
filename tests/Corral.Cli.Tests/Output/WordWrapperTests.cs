using Corral.Cli.Output;

namespace Corral.Cli.Tests.Output;

public sealed class WordWrapperTests
{
    private static string Wrap(int width, params string[] chunks)
    {
        var output = new StringWriter();
        var wrapper = new WordWrapper(output, width);
        foreach (var chunk in chunks)
        {
            wrapper.Write(chunk);
        }

        wrapper.Flush();
        return output.ToString();
    }

    [Fact]
    public void Breaks_between_words_across_streamed_chunks()
    {
        var text = Wrap(12, "The qu", "ick brown", " fox jumps over", " the lazy dog");
        Assert.Equal("The quick\nbrown fox\njumps over\nthe lazy dog", text);
        Assert.All(text.Split('\n'), line => Assert.True(line.Length <= 12));
    }

    [Fact]
    public void Newlines_reset_the_column()
    {
        Assert.Equal("aaaa bbbb\ncccc dddd", Wrap(10, "aaaa bbbb\ncccc dddd"));
    }

    [Fact]
    public void Width_zero_passes_through() => Assert.Equal("a b c d e f", Wrap(0, "a b c ", "d e f"));

    [Fact]
    public void Overlong_words_run_on() => Assert.Equal("ab\nabcdefghijkl cd", Wrap(5, "ab abcdefghijkl cd"));
}
