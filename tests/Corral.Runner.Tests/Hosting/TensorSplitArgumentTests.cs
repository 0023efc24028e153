using Corral.Runner.Hosting;

namespace Corral.Runner.Tests.Hosting;

/// <summary>The layer split the scheduler chose reaches the runner's command line and back unchanged.</summary>
public sealed class TensorSplitArgumentTests
{
    [Fact]
    public void A_tensor_split_round_trips_and_none_is_not_written()
    {
        var options = new RunnerLaunchOptions { ModelPath = "/m.gguf", SocketPath = "/s", GpuLayers = 7, TensorSplit = [0, 3, 4] };
        var args = options.ToArguments();
        Assert.Equal("0,3,4", args[args.ToList().IndexOf("--tensor-split") + 1]);
        var parsed = RunnerLaunchOptions.Parse([.. args.Skip(1)]);
        Assert.Equal([0, 3, 4], parsed.TensorSplit);
        Assert.Equal(7, parsed.GpuLayers);

        Assert.DoesNotContain("--tensor-split", (options with { TensorSplit = [] }).ToArguments());
        Assert.Throws<FormatException>(() => RunnerLaunchOptions.Parse(["--model", "m", "--socket", "s", "--tensor-split", "1,-2"]));
    }
}
