using Corral.Cli.Output;

namespace Corral.Cli.Tests.Output;

public sealed class ProgressBarTests
{
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void Running_bar_shows_percent_bytes_rate_and_eta()
    {
        var clock = new ManualClock();
        var bar = new ProgressBar("pulling 6a0746a1ec1a:", 4_700_000_000, 0, clock);
        clock.Now += TimeSpan.FromSeconds(10);
        bar.Set(1_000_000_000);
        clock.Now += TimeSpan.FromSeconds(10);
        bar.Set(2_000_000_000);

        var line = bar.Render(100);

        Assert.StartsWith("pulling 6a0746a1ec1a:  43% ▕", line);
        Assert.EndsWith("▏   2 GB/4.7 GB  100 MB/s     27s", line);
        // As ollama: one column short of the width, so the terminal never wraps.
        Assert.Equal(99, line.Length);
    }

    [Fact]
    public void Finished_bar_keeps_only_the_total()
    {
        var bar = new ProgressBar("pulling abc:", 1_400, 0);
        bar.Set(1_400);

        var line = bar.Render(80);

        Assert.StartsWith("pulling abc: 100% ▕████", line);
        Assert.Equal("▏ 1.4 KB", line[line.IndexOf('▏')..].TrimEnd());
        Assert.Equal(79, line.Length);
    }

    [Theory]
    [InlineData(28, "28s")]
    [InlineData(252, "4m12s")]
    [InlineData(3900, "1h5m")]
    [InlineData(400_000, "99h+")]
    public void Eta_has_at_most_two_units(int seconds, string expected) => Assert.Equal(expected, ProgressBar.Eta(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public async Task Display_off_a_terminal_writes_final_lines_once()
    {
        var output = new StringWriter();
        var display = new ProgressDisplay(output, interactive: false);
        var progress = new TransferProgress(display, "pulling");
        progress.Apply(new() { Status = "pulling manifest" });
        progress.Apply(new() { Status = "pulling sha256:aaaabbbbccccdddd", Digest = "sha256:aaaabbbbccccdddd", Total = 100, Completed = 0 });
        progress.Apply(new() { Status = "pulling sha256:aaaabbbbccccdddd", Digest = "sha256:aaaabbbbccccdddd", Total = 100, Completed = 100 });
        progress.Apply(new() { Status = "success" });
        Assert.Equal(string.Empty, output.ToString());

        await display.DisposeAsync();

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Equal("pulling manifest", lines[0]);
        Assert.StartsWith("pulling aaaabbbbcccc: 100% ▕", lines[1]);
        Assert.Equal("success", lines[2]);
    }
}
