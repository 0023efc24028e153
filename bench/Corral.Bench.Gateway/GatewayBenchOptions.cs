using System.Globalization;

namespace Corral.Bench.Gateway;

/// <summary>Command-line settings of the gateway bench; the defaults are small, for a 2-core machine.</summary>
internal sealed record GatewayBenchOptions
{
    public string? ModelPath { get; init; }

    /// <summary>Backends behind the gateway (compared with one backend alone).</summary>
    public int Backends { get; init; } = 3;

    /// <summary>Compute threads of each backend's runner.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Slots per backend (OLLAMA_NUM_PARALLEL).</summary>
    public int Slots { get; init; } = 4;

    public int ContextPerSlot { get; init; } = 512;

    public int Tokens { get; init; } = 24;

    public int PromptTokens { get; init; } = 32;

    /// <summary>Concurrent streaming clients.</summary>
    public int Clients { get; init; } = 6;

    /// <summary>Requests each client sends one after another.</summary>
    public int RequestsPerClient { get; init; } = 2;

    /// <summary>Rounds of all scenarios, each round in a rotated order; the table shows medians over rounds.</summary>
    public int Rounds { get; init; } = 1;

    public static GatewayBenchOptions Parse(string[] args)
    {
        var options = new GatewayBenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Int() => int.Parse(Value(), CultureInfo.InvariantCulture) is var v && v > 0 ? v : throw new ArgumentException($"{args[i]} must be positive");
            options = args[i] switch
            {
                "--model" => options with { ModelPath = Value() },
                "--backends" => options with { Backends = Int() },
                "--threads" => options with { Threads = Int() },
                "--slots" => options with { Slots = Int() },
                "--ctx" => options with { ContextPerSlot = Int() },
                "--tokens" => options with { Tokens = Int() },
                "--prompt-tokens" => options with { PromptTokens = Int() },
                "--clients" => options with { Clients = Int() },
                "--requests" => options with { RequestsPerClient = Int() },
                "--rounds" => options with { Rounds = Int() },
                _ => throw new ArgumentException($"unknown argument {args[i]}\n{Usage}"),
            };
        }

        return options;
    }

    public const string Usage =
        "usage: dotnet run -c Release --project bench/Corral.Bench.Gateway -- [--model PATH.gguf] [--backends 3] [--threads 1]\n" +
        "       [--slots 4] [--ctx 512] [--tokens 24] [--prompt-tokens 32] [--clients 6] [--requests 2] [--rounds 1]";
}
