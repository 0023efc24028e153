namespace Corral.Runner.Quantizing;

/// <summary>The <c>corral quantize</c> child failed or crashed; the message starts with "quantization failed: ".</summary>
public sealed class QuantizeFailedException(string message) : Exception(message);
