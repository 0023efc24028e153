namespace Corral.Models.Registry;

/// <summary>Retries a whole registry operation on transient failures (5xx, dropped connections), with backoff.</summary>
internal static class RegistryRetry
{
    public static async Task<T> RunAsync<T>(RegistryOptions options, Func<Task<T>> operation, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await operation().ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && BlobDownloader.IsTransient(e) && attempt + 1 < options.MaxAttempts)
            {
                await Task.Delay(BlobDownloader.Backoff(options, attempt), cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
