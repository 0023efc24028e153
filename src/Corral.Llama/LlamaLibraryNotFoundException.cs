namespace Corral.Llama;

/// <summary>The llama.cpp shared libraries are missing or cannot be loaded.</summary>
public sealed class LlamaLibraryNotFoundException : LlamaException
{
    public LlamaLibraryNotFoundException(string message, string directory, Exception? innerException = null)
        : base(message, innerException)
    {
        Directory = directory;
    }

    /// <summary>The folder that was searched.</summary>
    public string Directory { get; }

    internal static LlamaLibraryNotFoundException Missing(string directory, string importName) =>
        importName == Native.MtmdNative.MtmdLibrary
            ? new($"The llama.cpp multimodal library 'libmtmd' was not found in '{directory}'. " +
                "Run ./corral once (or eng/native.sh mtmd), which builds it from the pinned llama.cpp source, " +
                "or put a libmtmd.so built against these libraries there.", directory)
            : new($"The llama.cpp library 'lib{importName}' was not found in '{directory}'. " +
                "Run ./corral once, which fetches the pinned llama.cpp build with npm (eng/native.sh libs), " +
                $"or set {Native.NativeLibraryLocator.LibDirVariable} to a folder holding libllama*.so, libggml*.so " +
                "and the libggml-cpu backends.", directory);

    internal static LlamaLibraryNotFoundException Unloadable(string path, Exception inner) =>
        new($"The llama.cpp library '{path}' exists but could not be loaded ({inner.Message}). " +
            $"Delete the folder and run ./corral again to re-fetch it, or set {Native.NativeLibraryLocator.LibDirVariable} " +
            "to a build that matches this machine.", Path.GetDirectoryName(path) ?? path, inner);
}
