using Corral.Llama;
using Corral.Models.Creation;
using Corral.Runner.Quantizing;

namespace Corral.Server.Native.Management;

/// <summary>
/// Quantizes in a <c>corral quantize</c> child process (<see cref="QuantizeProcess"/>): a native crash there cannot take
/// the server down, and a client that goes away (cancellation) kills it. It deletes the output itself on failure.
/// </summary>
internal sealed class ProcessQuantizer : IGgufQuantizer
{
    public static readonly ProcessQuantizer Instance = new();

    private ProcessQuantizer()
    {
    }

    public async Task QuantizeAsync(string inputPath, string outputPath, QuantizeTarget target, Func<double, Task> progress, CancellationToken cancellation)
    {
        try
        {
            await QuantizeProcess.RunAsync(
                new QuantizeLaunchOptions { InputPath = inputPath, OutputPath = outputPath, FileType = (LlamaFileType)target.FileType },
                progress,
                cancellation).ConfigureAwait(false);
        }
        catch (QuantizeFailedException ex)
        {
            throw new CreateFailedException(ex.Message);
        }
    }
}
