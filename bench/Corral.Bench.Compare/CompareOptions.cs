using System.Globalization;

namespace Corral.Bench.Compare;

/// <summary>Command-line settings of the side-by-side bench; the defaults are the reference setup of issue 22.</summary>
internal sealed record CompareOptions
{
    public const string ClientsScenario = "clients";
    public const string PrefixScenario = "prefix";
    public const string MixedScenario = "mixed";
    public const string LlamaServer = "llama-server";
    public const string Corral = "corral";

    public int Rounds { get; init; } = 3;

    public string? ModelPath { get; init; }

    /// <summary>Compute threads of every model instance on both sides.</summary>
    public int Threads { get; init; } = 2;

    /// <summary>Slots per model on both sides (llama-server -np, OLLAMA_NUM_PARALLEL).</summary>
    public int Slots { get; init; } = 8;

    /// <summary>Context per slot (llama-server -c is this times the slots; OLLAMA_CONTEXT_LENGTH).</summary>
    public int ContextPerSlot { get; init; } = 1024;

    /// <summary>Tokens generated per request (EOS banned, so every stream is exactly this long).</summary>
    public int Tokens { get; init; } = 128;

    public int PromptTokens { get; init; } = 64;

    public int PrefixTokens { get; init; } = 400;

    public IReadOnlyList<int> Clients { get; init; } = [1, 4, 8];

    /// <summary>Requests each client sends one after another at each client count; 0 = enough for at least 8 per level.</summary>
    public int RequestsPerClient { get; init; }

    /// <summary>Cached-prefix / cold pairs per round.</summary>
    public int PrefixPairs { get; init; } = 3;

    /// <summary>Streaming completion clients and embedding clients in the mixed scenario.</summary>
    public int MixedClients { get; init; } = 4;

    /// <summary>Completions each mixed-scenario completion client sends (the embedding clients loop until they finish).</summary>
    public int MixedRequestsPerClient { get; init; } = 1;

    /// <summary>A llama-server binary to use instead of building the CPU one (bench/gpu/run.sh passes one that loads the CUDA backend).</summary>
    public string? LlamaServerBinary { get; init; }

    /// <summary>llama-server's -ngl (layers on the GPU); null leaves its default. Corral places layers itself (num_gpu unset: all that fit).</summary>
    public int? GpuLayers { get; init; }

    /// <summary>Which servers run (both by default; one alone is for profiling a side, with no ratios).</summary>
    public IReadOnlySet<string> Servers { get; init; } = new HashSet<string> { LlamaServer, Corral };

    /// <summary>Runs the in-process ceiling (<see cref="PlainLlama"/>) at each client count too.</summary>
    public bool Plain { get; init; } = true;

    /// <summary>A line for the report's header, e.g. that the machine was shared during the run.</summary>
    public string? Note { get; init; }

    public IReadOnlySet<string> Scenarios { get; init; } = new HashSet<string> { ClientsScenario, PrefixScenario, MixedScenario };

    public int RequestsAt(int clients) =>
        RequestsPerClient > 0 ? RequestsPerClient : Math.Max(3, (8 + clients - 1) / clients);

    public static CompareOptions Parse(string[] args)
    {
        var options = new CompareOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Int() => int.Parse(Value(), CultureInfo.InvariantCulture) is var v && v > 0 ? v : throw new ArgumentException($"{args[i]} must be positive");
            options = args[i] switch
            {
                "--rounds" => options with { Rounds = Int() },
                "--model" => options with { ModelPath = Value() },
                "--threads" => options with { Threads = Int() },
                "--slots" => options with { Slots = Int() },
                "--ctx" => options with { ContextPerSlot = Int() },
                "--tokens" => options with { Tokens = Int() },
                "--clients" => options with { Clients = Value().Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToList() },
                "--requests" => options with { RequestsPerClient = Int() },
                "--prefix-pairs" => options with { PrefixPairs = Int() },
                "--mixed-requests" => options with { MixedRequestsPerClient = Int() },
                "--scenarios" => options with { Scenarios = ParseScenarios(Value()) },
                "--note" => options with { Note = Value() },
                "--no-plain" => options with { Plain = false },
                "--servers" => options with { Servers = ParseServers(Value()) },
                "--llama-server" => options with { LlamaServerBinary = Value() },
                "--gpu-layers" => options with { GpuLayers = Int() },
                "-h" or "--help" => throw new ArgumentException(Usage),
                _ => throw new ArgumentException($"unknown argument {args[i]}\n{Usage}"),
            };
        }

        if (options.PrefixTokens + 32 + options.Tokens > options.ContextPerSlot)
        {
            throw new ArgumentException($"--ctx {options.ContextPerSlot} is too small for a {options.PrefixTokens}-token prefix");
        }

        return options;
    }

    public const string Usage =
        "usage: dotnet run -c Release --project bench/Corral.Bench.Compare -- [--rounds 3] [--scenarios clients,prefix,mixed]\n" +
        "       [--model PATH.gguf] [--threads 2] [--slots 8] [--ctx 1024] [--tokens 128] [--clients 1,4,8] [--requests N]\n" +
        "       [--prefix-pairs 3] [--mixed-requests 1] [--note TEXT] [--llama-server PATH] [--gpu-layers N]\n" +
        "       [--no-plain] (skip the in-process llama.cpp ceiling at each client count) [--servers llama-server,corral]";

    private static HashSet<string> ParseServers(string value)
    {
        var set = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
        var unknown = set.Except([LlamaServer, Corral]).ToList();
        return unknown.Count == 0 && set.Count > 0 ? set : throw new ArgumentException($"--servers takes {LlamaServer} and/or {Corral}");
    }

    private static HashSet<string> ParseScenarios(string value)
    {
        var set = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
        var unknown = set.Except([ClientsScenario, PrefixScenario, MixedScenario]).ToList();
        return unknown.Count == 0 ? set : throw new ArgumentException($"unknown scenario(s): {string.Join(", ", unknown)}");
    }
}
