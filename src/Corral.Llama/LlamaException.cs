namespace Corral.Llama;

/// <summary>Base of every error reported by the llama.cpp bindings.</summary>
public class LlamaException : Exception
{
    public LlamaException(string message) : base(message)
    {
    }

    public LlamaException(string message, Exception? innerException) : base(message, innerException)
    {
    }

    /// <summary>Appends llama.cpp's own last error line, when it logged one, to a message.</summary>
    internal static string WithNativeReason(string message, string? nativeReason) =>
        string.IsNullOrWhiteSpace(nativeReason) ? message : $"{message}: {nativeReason.Trim()}";
}
