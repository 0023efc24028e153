using Corral.Models.Store;
using Corral.Server.Configuration;
using Microsoft.Extensions.Logging;

namespace Corral.Server.Ollama.Management;

/// <summary>
/// Ollama prunes the store when the server starts, unless OLLAMA_NOPRUNE: blobs no manifest uses,
/// stale partial files and empty manifest folders go. A failure is logged, never fatal.
/// </summary>
internal static partial class StorePruning
{
    public static void RunAtStartup(ModelStore store, ServerSettings settings, ILogger logger)
    {
        if (settings.NoPrune)
        {
            return;
        }

        try
        {
            var result = store.Prune();
            if (result.RemovedBlobs.Count > 0 || result.RemovedPartialFiles.Count > 0)
            {
                LogPruned(logger, result.RemovedBlobs.Count, result.RemovedPartialFiles.Count, result.BytesFreed);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogPruneFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "pruned {Blobs} unused blobs and {Partials} partial files ({Bytes} bytes)")]
    private static partial void LogPruned(ILogger logger, int blobs, int partials, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "pruning the model store failed")]
    private static partial void LogPruneFailed(ILogger logger, Exception ex);
}
