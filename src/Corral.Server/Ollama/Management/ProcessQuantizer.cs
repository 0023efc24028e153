using Corral.Llama;
using Corral.Models.Creation;
using Corral.Runner.Client;
using Corral.Runner.Quantizing;

namespace Corral.Server.Ollama.Management;

/// <summary>
/// Quantizes in a <c>corral quantize</c> child process (<see cref="QuantizeProcess"/>) that sees the server's variables
/// (<paramref name="environment"/>): a native crash there cannot take the server down, and a client that goes away
/// (cancellation) kills it. It deletes the output itself on failure.
/// </summary>
/// <param name="environment">The server's variables (the process environment for <c>corral serve</c>).</param>
internal sealed class ProcessQuantizer(EnvironmentSource environment) : IGgufQuantizer
{
    public async Task QuantizeAsync(string inputPath, string outputPath, QuantizeTarget target, Func<double, Task> progress, CancellationToken cancellation)
    {
        try
        {
            await QuantizeProcess.RunAsync(
                new QuantizeLaunchOptions { InputPath = inputPath, OutputPath = outputPath, FileType = (LlamaFileType)target.FileType },
                environment,
                progress,
                cancellation).ConfigureAwait(false);
        }
        catch (QuantizeFailedException ex)
        {
            throw new CreateFailedException(ex.Message);
        }
    }
}
