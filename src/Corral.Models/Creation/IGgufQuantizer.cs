namespace Corral.Models.Creation;

/// <summary>Quantizes a GGUF file (the store cannot: it takes llama.cpp).</summary>
public interface IGgufQuantizer
{
    /// <summary>
    /// Writes <paramref name="inputPath"/> quantized to <paramref name="target"/> into <paramref name="outputPath"/>.
    /// <paramref name="progress"/> gets the fraction done (0..1).
    /// </summary>
    /// <exception cref="CreateFailedException">Quantization failed; the message says why. No output is left.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> fired. No output is left.</exception>
    Task QuantizeAsync(string inputPath, string outputPath, QuantizeTarget target, Func<double, Task> progress, CancellationToken cancellation);
}
