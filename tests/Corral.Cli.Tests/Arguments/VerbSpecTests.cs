using Corral.Cli.Arguments;
using Corral.Cli.Verbs;

namespace Corral.Cli.Tests.Arguments;

public sealed class VerbSpecTests
{
    [Fact]
    public void Flags_may_come_anywhere_in_any_spelling()
    {
        var parsed = VerbCatalog.Run.Parse(["--verbose", "tiny", "--format=json", "why", "--keepalive", "5m", "is the sky blue"]);
        Assert.Equal(["tiny", "why", "is the sky blue"], parsed.Positionals);
        Assert.True(parsed.Bool("verbose"));
        Assert.Equal("json", parsed.String("format"));
        Assert.Equal("5m", parsed.String("keepalive"));
        Assert.False(parsed.Bool("nowordwrap"));
    }

    [Fact]
    public void Short_flags_take_their_value_attached_or_next()
    {
        var parsed = VerbCatalog.Create.Parse(["m", "-f", "My.Modelfile", "-qq4_K_M"]);
        Assert.Equal("My.Modelfile", parsed.String("file"));
        Assert.Equal("q4_K_M", parsed.String("quantize"));
    }

    [Fact]
    public void Think_alone_means_true_and_takes_a_level_with_equals()
    {
        Assert.Equal("true", VerbCatalog.Run.Parse(["m", "--think", "hello"]).String("think"));
        Assert.Equal(["m", "hello"], VerbCatalog.Run.Parse(["m", "--think", "hello"]).Positionals);
        Assert.Equal("high", VerbCatalog.Run.Parse(["m", "--think=high"]).String("think"));
    }

    [Fact]
    public void Double_dash_ends_flags() => Assert.Equal(["m", "--verbose"], VerbCatalog.Run.Parse(["m", "--", "--verbose"]).Positionals);

    [Theory]
    [InlineData(new[] { "m", "--nope" }, "unknown flag: --nope")]
    [InlineData(new[] { "m", "-x" }, "unknown shorthand flag: 'x' in -x")]
    [InlineData(new[] { "m", "--format" }, "flag needs an argument: --format")]
    [InlineData(new string[0], "requires at least 1 arg(s), only received 0")]
    public void Bad_run_lines_give_cobras_messages(string[] args, string message) =>
        Assert.Equal(message, Assert.Throws<UsageException>(() => VerbCatalog.Run.Parse(args)).Message);

    [Fact]
    public void Argument_counts()
    {
        Assert.Equal("accepts 2 arg(s), received 1", Assert.Throws<UsageException>(() => VerbCatalog.Copy.Parse(["a"])).Message);
        Assert.Equal("accepts 1 arg(s), received 0", Assert.Throws<UsageException>(() => VerbCatalog.Show.Parse([])).Message);
        Assert.Equal(["a", "b", "c"], VerbCatalog.Remove.Parse(["a", "b", "c"]).Positionals);
    }

    [Fact]
    public void Help_lists_every_flag()
    {
        var parsed = VerbCatalog.Show.Parse(["--help"]);
        Assert.True(parsed.HelpRequested);
        var help = VerbCatalog.Show.Help();
        foreach (var flag in new[] { "--license", "--modelfile", "--parameters", "--template", "--system", "-v, --verbose", "-h, --help" })
        {
            Assert.Contains(flag, help);
        }
    }

    [Fact]
    public void Ls_is_list() => Assert.Same(VerbCatalog.List, VerbCatalog.Find("ls"));
}
