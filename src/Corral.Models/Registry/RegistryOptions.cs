namespace Corral.Models.Registry;

/// <summary>
/// How a pull or push talks to a registry, and the limits a registry's answers must respect.
/// The defaults suit real registries; tests shrink part sizes and delays.
/// </summary>
public sealed record RegistryOptions
{
    /// <summary>Plain http instead of https (Ollama's <c>insecure</c>).</summary>
    public bool Insecure { get; init; }

    /// <summary>Sent as a bearer token to Hugging Face hosts only (<c>HF_TOKEN</c>).</summary>
    public string? HuggingFaceToken { get; init; }

    /// <summary>Blobs at least this large are fetched as <see cref="DownloadParts"/> ranged parts in parallel.</summary>
    public long MinPartedBlobSize { get; init; } = 16L << 20;

    public int DownloadParts { get; init; } = 4;

    /// <summary>Attempts per request (part, upload chunk) before a transient failure becomes the pull's error.</summary>
    public int MaxAttempts { get; init; } = 6;

    /// <summary>First retry delay; doubled after every failed attempt.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>A part that receives no byte for this long counts as a dropped connection and is retried.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Uploads larger than this go as PATCH chunks of this size; smaller ones as one PUT.</summary>
    public long UploadChunkSize { get; init; } = 64L << 20;

    public int MaxManifestBytes { get; init; } = 4 << 20;

    public int MaxLayers { get; init; } = 256;

    /// <summary>Largest blob size a manifest may announce (1 TiB): bigger is a hostile or broken manifest.</summary>
    public long MaxBlobSize { get; init; } = 1L << 40;

    /// <summary>Minimum time between two progress reports of one layer.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Options for a request, with <c>HF_TOKEN</c> taken from the environment.</summary>
    public static RegistryOptions FromEnvironment(bool insecure) => FromVariables(insecure, Environment.GetEnvironmentVariable);

    /// <summary>Options for a request, with <c>HF_TOKEN</c> read through <paramref name="get"/> (a server's variables).</summary>
    public static RegistryOptions FromVariables(bool insecure, Func<string, string?> get)
    {
        ArgumentNullException.ThrowIfNull(get);
        return new()
        {
            Insecure = insecure,
            HuggingFaceToken = get("HF_TOKEN") is { Length: > 0 } token ? token : null,
        };
    }
}
