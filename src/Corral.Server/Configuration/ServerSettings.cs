using System.Globalization;

namespace Corral.Server.Configuration;

/// <summary>
/// Ollama's environment variables (and Corral's CORRAL_ additions), read once at start-up.
/// Defaults are Ollama's, so an unset variable behaves as it does there.
/// </summary>
public sealed record ServerSettings
{
    public OllamaHost Host { get; init; } = OllamaHost.Default;

    /// <summary>OLLAMA_MODELS: the model store (default ~/.ollama/models).</summary>
    public string ModelsPath { get; init; } = DefaultModelsPath();

    /// <summary>OLLAMA_ORIGINS: extra allowed CORS origins (comma separated), added to Ollama's defaults.</summary>
    public IReadOnlyList<string> Origins { get; init; } = [];

    /// <summary>OLLAMA_KEEP_ALIVE: how long an idle model stays loaded (negative = forever).</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>OLLAMA_NUM_PARALLEL: parallel requests per model; 0 = auto (4 when memory allows, else 1).</summary>
    public int NumParallel { get; init; }

    /// <summary>OLLAMA_MAX_LOADED_MODELS: 0 = auto (3 on CPU).</summary>
    public int MaxLoadedModels { get; init; } = 3;

    /// <summary>OLLAMA_MAX_QUEUE: requests waiting beyond this get 503.</summary>
    public int MaxQueue { get; init; } = 512;

    /// <summary>OLLAMA_CONTEXT_LENGTH: default num_ctx.</summary>
    public int ContextLength { get; init; } = 4096;

    /// <summary>OLLAMA_FLASH_ATTENTION.</summary>
    public bool? FlashAttention { get; init; }

    /// <summary>OLLAMA_KV_CACHE_TYPE: f16 (default), q8_0, q4_0.</summary>
    public string KvCacheType { get; init; } = "f16";

    /// <summary>OLLAMA_NOPRUNE: keep unreferenced blobs.</summary>
    public bool NoPrune { get; init; }

    /// <summary>OLLAMA_DEBUG.</summary>
    public bool Debug { get; init; }

    /// <summary>What a zero or negative OLLAMA_LOAD_TIMEOUT means: practically never (timers cap near 49 days).</summary>
    public static readonly TimeSpan NoLoadTimeout = TimeSpan.FromDays(24);

    /// <summary>OLLAMA_LOAD_TIMEOUT: how long a model load may stall (default 5m).</summary>
    public TimeSpan LoadTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>CORRAL_MAX_BODY_BYTES: the largest JSON request body (blob uploads are streamed and not limited by this).</summary>
    public long MaxRequestBodyBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>CORRAL_API_KEYS_FILE: when set, requests need an API key from this file (see Security/ApiKeyStore).</summary>
    public string? ApiKeysFile { get; init; }

    /// <summary>
    /// CORRAL_PROMPT_CACHE_MB: host memory each runner may keep for prompts that left its slots, restored instead of
    /// evaluated when a prompt starts the same way again (llama-server's --cache-ram); 0 turns it off.
    /// </summary>
    public int PromptCacheMegabytes { get; init; } = DefaultPromptCacheMegabytes;

    public const int DefaultPromptCacheMegabytes = 1024;

    /// <summary>
    /// CORRAL_RESPONSES_DB: the SQLite file that keeps stored responses and conversations (default
    /// <c>corral/responses.db</c> inside the model store); "off" keeps nothing, as Ollama's stateless /v1/responses.
    /// </summary>
    public string? ResponsesDatabasePath { get; init; }

    /// <summary>CORRAL_RESPONSES_RETENTION_DAYS: stored responses older than this are removed (default 30, as OpenAI's; 0 = kept).</summary>
    public int ResponsesRetentionDays { get; init; } = 30;

    /// <summary>CORRAL_RESPONSES_MAX: at most this many stored responses, the oldest removed first (default 10000; 0 = no limit).</summary>
    public int ResponsesMaxCount { get; init; } = 10_000;

    /// <summary>The value of CORRAL_RESPONSES_DB that turns storage off.</summary>
    public const string Off = "off";

    /// <summary>Where the responses database lives by default: a folder of Corral's own inside the model store.</summary>
    public static string DefaultResponsesDatabasePath(string modelsPath) => Path.Combine(modelsPath, "corral", "responses.db");

    public static ServerSettings FromEnvironment() => FromVariables(Environment.GetEnvironmentVariable);

    public static ServerSettings FromVariables(Func<string, string?> get)
    {
        var s = new ServerSettings
        {
            Host = OllamaHost.Parse(get("OLLAMA_HOST")),
            ModelsPath = NonEmpty(get("OLLAMA_MODELS")) is { } models ? ExpandHome(models) : DefaultModelsPath(),
            Origins = (get("OLLAMA_ORIGINS") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            NumParallel = Int(get, "OLLAMA_NUM_PARALLEL", 0),
            MaxLoadedModels = Int(get, "OLLAMA_MAX_LOADED_MODELS", 0) is var m && m > 0 ? m : 3,
            MaxQueue = Int(get, "OLLAMA_MAX_QUEUE", 512) is var q && q > 0 ? q : 512,
            ContextLength = Int(get, "OLLAMA_CONTEXT_LENGTH", 4096) is var c && c > 0 ? c : 4096,
            FlashAttention = NonEmpty(get("OLLAMA_FLASH_ATTENTION")) is { } fa ? Bool(fa) : null,
            KvCacheType = NonEmpty(get("OLLAMA_KV_CACHE_TYPE"))?.ToLowerInvariant() ?? "f16",
            NoPrune = NonEmpty(get("OLLAMA_NOPRUNE")) is { } np && Bool(np),
            Debug = NonEmpty(get("OLLAMA_DEBUG")) is { } d && (Bool(d) || d is "2"),
            MaxRequestBodyBytes = Int(get, "CORRAL_MAX_BODY_BYTES", 0) is var b && b > 0 ? b : 256L * 1024 * 1024,
            ApiKeysFile = NonEmpty(get("CORRAL_API_KEYS_FILE")) is { } keys ? ExpandHome(keys) : null,
            PromptCacheMegabytes = Int(get, "CORRAL_PROMPT_CACHE_MB", DefaultPromptCacheMegabytes) is var mb && mb >= 0 ? mb : DefaultPromptCacheMegabytes,
            ResponsesRetentionDays = Int(get, "CORRAL_RESPONSES_RETENTION_DAYS", 30) is var days && days >= 0 ? days : 30,
            ResponsesMaxCount = Int(get, "CORRAL_RESPONSES_MAX", 10_000) is var max && max >= 0 ? max : 10_000,
        };
        s = s with
        {
            ResponsesDatabasePath = NonEmpty(get("CORRAL_RESPONSES_DB")) switch
            {
                null => DefaultResponsesDatabasePath(s.ModelsPath),
                var off when off.Equals(Off, StringComparison.OrdinalIgnoreCase) => null,
                var path => ExpandHome(path),
            },
        };
        if (NonEmpty(get("OLLAMA_KEEP_ALIVE")) is { } keepAlive)
        {
            s = s with { KeepAlive = Durations.Parse(keepAlive) };
        }

        if (NonEmpty(get("OLLAMA_LOAD_TIMEOUT")) is { } loadTimeout)
        {
            var t = Durations.Parse(loadTimeout);
            s = s with { LoadTimeout = t <= TimeSpan.Zero || t > NoLoadTimeout ? NoLoadTimeout : t };
        }

        return s;
    }

    private static string DefaultModelsPath() =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".ollama", "models");

    private static string ExpandHome(string path) =>
        path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[2..])
            : path;

    private static string? NonEmpty(string? v) => string.IsNullOrWhiteSpace(v) ? null : v.Trim();

    private static bool Bool(string v) => v.ToLowerInvariant() is "1" or "true" or "t" or "yes" or "on";

    private static int Int(Func<string, string?> get, string name, int fallback)
    {
        var v = NonEmpty(get(name));
        if (v is null)
        {
            return fallback;
        }

        return int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new FormatException($"{name}: '{v}' is not a number");
    }
}
