using Corral.Cli.Output;

namespace Corral.Cli.Tests.Output;

public sealed class TimingSummaryTests
{
    [Fact]
    public void Matches_ollamas_verbose_block()
    {
        var text = TimingSummary.Format(18_293_521_648, 97_885_315, 21, 1_346_030_951, 160, 16_774_703_785);
        Assert.Equal(
            "total duration:       18.293521648s\n"
            + "load duration:        97.885315ms\n"
            + "prompt eval count:    21 token(s)\n"
            + "prompt eval duration: 1.346030951s\n"
            + "prompt eval rate:     15.60 tokens/s\n"
            + "eval count:           160 token(s)\n"
            + "eval duration:        16.774703785s\n"
            + "eval rate:            9.54 tokens/s\n",
            text);
    }

    [Fact]
    public void Leaves_out_zero_figures() => Assert.Equal("eval count:           3 token(s)\n", TimingSummary.Format(0, 0, 0, 0, 3, 0));
}
