using System.Globalization;

namespace Corral.Bench.Soak;

/// <summary>Command-line settings of the soak; the defaults are issue 16's: 64 clients for 10 minutes on tiny generated models.</summary>
internal sealed record SoakOptions
{
    public const string Usage =
        "usage: Corral.Bench.Soak [--clients 64] [--duration 10m] [--warmup 60s] [--chat-model PATH.gguf] [--embed-model PATH.gguf]\n" +
        "                         [--parallel 4] [--ctx 512] [--sample-every 30s] [--request-timeout 120s] [--seed N]";

    public int Clients { get; init; } = 64;

    public TimeSpan Duration { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The same load before the start sample, not measured: the first seconds grow the processes' working sets (JIT and
    /// tiered code, pools, the server's pooled runner connections) once, which is warm-up, not growth.
    /// </summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A GGUF for the chat model; null: a tiny generated llama with random weights.</summary>
    public string? ChatModelPath { get; init; }

    /// <summary>A GGUF for the embedding model; null: a tiny generated BERT.</summary>
    public string? EmbedModelPath { get; init; }

    /// <summary>OLLAMA_NUM_PARALLEL: slots per runner.</summary>
    public int Parallel { get; init; } = 4;

    /// <summary>OLLAMA_CONTEXT_LENGTH: small, so the KV cache stays small and prompts stay short.</summary>
    public int ContextLength { get; init; } = 512;

    public TimeSpan SampleEvery { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A request still unanswered after this long counts as a hang (error kind "timeout").</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Seeds each client's random choices (client i uses Seed + i), so a run's traffic can be replayed.</summary>
    public int Seed { get; init; } = 16;

    public static SoakOptions Parse(string[] args)
    {
        var options = new SoakOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Int() => int.Parse(Value(), CultureInfo.InvariantCulture) is var v && v > 0 ? v : throw new ArgumentException($"{args[i]} must be positive");
            options = args[i] switch
            {
                "--clients" => options with { Clients = Int() },
                "--duration" => options with { Duration = ParseSpan(Value()) },
                "--warmup" => options with { WarmUp = ParseSpan(Value()) },
                "--chat-model" => options with { ChatModelPath = ExistingFile(Value()) },
                "--embed-model" => options with { EmbedModelPath = ExistingFile(Value()) },
                "--parallel" => options with { Parallel = Int() },
                "--ctx" => options with { ContextLength = Int() },
                "--sample-every" => options with { SampleEvery = ParseSpan(Value()) },
                "--request-timeout" => options with { RequestTimeout = ParseSpan(Value()) },
                "--seed" => options with { Seed = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "-h" or "--help" => throw new ArgumentException(Usage),
                _ => throw new ArgumentException($"unknown argument {args[i]}\n{Usage}"),
            };
        }

        return options;
    }

    /// <summary>"90s", "10m", "1h" or plain seconds.</summary>
    public static TimeSpan ParseSpan(string text)
    {
        var (number, unit) = char.IsLetter(text[^1]) ? (text[..^1], text[^1]) : (text, 's');
        var value = double.Parse(number, CultureInfo.InvariantCulture);
        var span = unit switch
        {
            's' => TimeSpan.FromSeconds(value),
            'm' => TimeSpan.FromMinutes(value),
            'h' => TimeSpan.FromHours(value),
            _ => throw new ArgumentException($"bad duration {text} (use 90s, 10m or 1h)"),
        };
        return span > TimeSpan.Zero ? span : throw new ArgumentException($"duration {text} must be positive");
    }

    private static string ExistingFile(string path) =>
        File.Exists(path) ? Path.GetFullPath(path) : throw new ArgumentException($"no such file: {path}");
}
