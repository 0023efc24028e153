using Corral.Runner.Client;
using Corral.Runner.Protocol;
using Corral.Testing;

namespace Corral.Runner.Tests.Engine;

/// <summary>
/// The generated vision model (random text model + tiny CLIP projector, 16 positions an image) in a 64-position
/// slot, generating 200 tokens with its end-of-text tokens biased away: the slot shifts several times with an image
/// in it, wherever num_keep puts the cut (before, inside, after the image), and generation goes on.
/// </summary>
public sealed class VisionShiftTests(RunnerFixture fixture) : IClassFixture<RunnerFixture>
{
    private const int Context = 64;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(6)]  // inside the image: it stays whole in the kept part
    [InlineData(17)] // the image's last position
    [InlineData(40)]
    public async Task Generation_shifts_around_an_image_and_runs_to_num_predict(int numKeep)
    {
        var runner = await VisionRunnerAsync();
        var request = await ShiftingRequestAsync(runner.Client, numKeep);

        var result = await RunnerCompletion.RunAsync(runner.Client, request);

        Assert.Equal("length", result.Final.DoneReason);
        Assert.Equal(200, result.Final.EvalCount);
        Assert.True(result.Final.PromptEvalCount >= 16, "the image's positions count in the prompt");
        Assert.True(result.Final.PromptEvalCount + result.Final.EvalCount > 2 * Context, "the slot shifted more than once");
        Assert.NotEmpty(result.Text);
    }

    [Fact]
    public async Task After_shifts_the_same_image_prompt_gives_the_same_output()
    {
        var runner = await VisionRunnerAsync();
        var first = await RunnerCompletion.RunAsync(runner.Client, await ShiftingRequestAsync(runner.Client, 6));
        var again = await RunnerCompletion.RunAsync(runner.Client, await ShiftingRequestAsync(runner.Client, 6));

        Assert.Equal(first.Text, again.Text);
        Assert.True(again.Final.CachedTokens > 0, "the kept prefix (with the image) was reused from the shifted slot");
    }

    private RunnerProcess? _runner;

    private async Task<RunnerProcess> VisionRunnerAsync() =>
        _runner ??= await fixture.StartAsync(GeneratedModels.VisionText, parallel: 1, context: Context, projector: GeneratedModels.VisionProjector);

    private static async Task<CompletionRequest> ShiftingRequestAsync(RunnerClient client, int numKeep)
    {
        var bias = await RunnerCompletion.EndOfGenerationBannedAsync(client);
        return new CompletionRequest
        {
            Prompt = "[img-0] tell me about it",
            Images = [Bmp32()],
            NumPredict = 200,
            NumKeep = numKeep,
            Sampling = new SamplingParameters { Temperature = 0, LogitBias = bias },
        };
    }

    /// <summary>A 32×32 24-bit BMP with a gradient (stb_image reads BMP).</summary>
    private static byte[] Bmp32()
    {
        const int Side = 32;
        const int RowBytes = Side * 3; // already a multiple of 4
        var image = new byte[54 + (RowBytes * Side)];
        image[0] = (byte)'B';
        image[1] = (byte)'M';
        BitConverter.TryWriteBytes(image.AsSpan(2), image.Length);
        BitConverter.TryWriteBytes(image.AsSpan(10), 54);      // pixel data offset
        BitConverter.TryWriteBytes(image.AsSpan(14), 40);      // BITMAPINFOHEADER
        BitConverter.TryWriteBytes(image.AsSpan(18), Side);
        BitConverter.TryWriteBytes(image.AsSpan(22), Side);
        BitConverter.TryWriteBytes(image.AsSpan(26), (short)1);  // planes
        BitConverter.TryWriteBytes(image.AsSpan(28), (short)24); // bits per pixel
        BitConverter.TryWriteBytes(image.AsSpan(34), RowBytes * Side);
        for (var y = 0; y < Side; y++)
        {
            for (var x = 0; x < Side; x++)
            {
                var at = 54 + (y * RowBytes) + (x * 3);
                image[at] = (byte)(x * 8);
                image[at + 1] = (byte)(y * 8);
                image[at + 2] = (byte)(255 - (x * 8));
            }
        }

        return image;
    }
}
