using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Corral.Llama.Native;

/// <summary>
/// Finds the llama.cpp shared libraries and maps the import names used by <see cref="LlamaNative"/>
/// to files in that folder. The folder layout mirrors eng/native.sh, which fetches the libraries.
/// </summary>
public static class NativeLibraryLocator
{
    /// <summary>
    /// Version of the npm package @node-llama-cpp/linux-x64 that carries the libraries. Must equal
    /// LLAMA_NPM_VERSION in eng/llama.lock (the cache folder is named after it).
    /// </summary>
    public const string PackageVersion = "3.22.1";

    /// <summary>Environment variable naming a folder with libllama/libggml that overrides the cache.</summary>
    public const string LibDirVariable = "CORRAL_LLAMA_LIB_DIR";

    private static readonly Lock Gate = new();
    private static bool _installed;
    private static readonly Dictionary<string, nint> Loaded = new(StringComparer.Ordinal);

    /// <summary>
    /// The folder the libraries are loaded from: <c>$CORRAL_LLAMA_LIB_DIR</c> if set, else the build
    /// <see cref="LlamaBackendSelection"/> chose in the cache (<see cref="CacheFolder"/>: <c>libs</c>, <c>libs-vulkan</c>
    /// or <c>libs-cuda</c>).
    /// </summary>
    public static string LibraryDirectory => LlamaBackendSelection.Current.Directory;

    /// <summary><c>${CORRAL_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/corral}/llama/&lt;version&gt;</c>, as eng/native.sh lays it out.</summary>
    public static string CacheFolder(Func<string, string?> environment)
    {
        var cacheRoot = environment("CORRAL_CACHE_DIR");
        if (string.IsNullOrEmpty(cacheRoot))
        {
            var xdg = environment("XDG_CACHE_HOME");
            if (string.IsNullOrEmpty(xdg))
            {
                xdg = Path.Combine(environment("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            }

            cacheRoot = Path.Combine(xdg, "corral");
        }

        return Path.Combine(cacheRoot, "llama", PackageVersion);
    }

    /// <summary>Installs the import resolver on the Corral.Llama assembly (once).</summary>
    public static void InstallResolver()
    {
        lock (Gate)
        {
            if (_installed)
            {
                return;
            }

            NativeLibrary.SetDllImportResolver(typeof(NativeLibraryLocator).Assembly, Resolve);
            _installed = true;
        }
    }

    /// <summary>
    /// Full path of the library for an import name ("llama", "ggml", "ggml-base") in
    /// <paramref name="directory"/>, or null. Accepts versioned names (libllama.v0.5.0.so),
    /// plain ones (libllama.so), soname suffixes (libllama.so.1) and the GPU packages' names, which carry the
    /// backend (libllama.vulkan.v0.5.0.so, libggml.cuda.v0.5.0.so).
    /// </summary>
    public static string? FindLibrary(string directory, string importName)
    {
        if (!Directory.Exists(directory))
        {
            return null;
        }

        var pattern = new Regex(
            "^(lib)?" + Regex.Escape(importName) + @"(\.(cuda|vulkan))?(\.v[0-9][0-9.]*)?\.(so(\.[0-9]+)*|dylib|dll)$",
            RegexOptions.CultureInvariant);
        string? best = null;
        foreach (var path in Directory.EnumerateFiles(directory))
        {
            var name = Path.GetFileName(path);
            if (pattern.IsMatch(name) && (best is null || string.CompareOrdinal(name, Path.GetFileName(best)) < 0))
            {
                // Shortest/lexically first wins, so libllama.so beats libllama.so.1.2 when both exist.
                best = path;
            }
        }

        return best;
    }

    /// <summary>Like <see cref="FindLibrary"/>, but throws an explanatory exception when missing.</summary>
    /// <exception cref="LlamaLibraryNotFoundException">No matching library in <paramref name="directory"/>.</exception>
    public static string FindLibraryOrThrow(string directory, string importName) =>
        FindLibrary(directory, importName) ?? throw LlamaLibraryNotFoundException.Missing(directory, importName);

    /// <summary>
    /// Loads (or returns the already loaded) library for an import name, throwing
    /// <see cref="LlamaLibraryNotFoundException"/> with instructions when it is missing.
    /// </summary>
    public static nint Load(string importName)
    {
        lock (Gate)
        {
            if (Loaded.TryGetValue(importName, out var existing))
            {
                return existing;
            }

            var path = FindLibraryOrThrow(LibraryDirectory, importName);
            nint handle;
            try
            {
                handle = NativeLibrary.Load(path);
            }
            catch (Exception ex) when (ex is DllNotFoundException or BadImageFormatException)
            {
                throw LlamaLibraryNotFoundException.Unloadable(path, ex);
            }

            Loaded[importName] = handle;
            return handle;
        }
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName is LlamaNative.LlamaLibrary or LlamaNative.GgmlLibrary or LlamaNative.GgmlBaseLibrary or MtmdNative.MtmdLibrary
            ? Load(libraryName)
            : 0;
}
