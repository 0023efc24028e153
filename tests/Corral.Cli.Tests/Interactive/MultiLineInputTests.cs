using Corral.Cli.Interactive;

namespace Corral.Cli.Tests.Interactive;

public sealed class MultiLineInputTests
{
    [Fact]
    public void Plain_lines_are_complete() => Assert.Equal("hello", new MultiLineInput().Feed("hello"));

    [Fact]
    public void Triple_quotes_gather_lines_until_closed()
    {
        var input = new MultiLineInput();
        Assert.Null(input.Feed("\"\"\"first line"));
        Assert.True(input.IsOpen);
        Assert.Null(input.Feed("second line"));
        Assert.Equal("first line\nsecond line\nlast", input.Feed("last\"\"\""));
        Assert.False(input.IsOpen);
    }

    [Fact]
    public void Closing_quotes_on_their_own_line()
    {
        var input = new MultiLineInput();
        input.Feed("\"\"\"");
        input.Feed("a");
        Assert.Equal("\na\n", input.Feed("\"\"\""));
    }

    [Fact]
    public void Quotes_opened_and_closed_on_one_line() => Assert.Equal("one line", new MultiLineInput().Feed("\"\"\"one line\"\"\""));
}
