using System.Globalization;

namespace Corral.Runner.Hosting;

/// <summary>
/// What the scheduler tells a runner on its command line: which model, where to listen,
/// and the load options that need a fresh process to change.
/// </summary>
public sealed record RunnerLaunchOptions
{
    public required string ModelPath { get; init; }

    public required string SocketPath { get; init; }

    /// <summary>The multimodal projector GGUF loaded with the model (vision models), or null.</summary>
    public string? ProjectorPath { get; init; }

    /// <summary>
    /// LoRA adapter GGUFs applied on top of the model, in order (their index is a request's <c>lora</c> id). A model
    /// with adapters is a runner of its own: the paths are blob paths, so they name the adapters' digests.
    /// </summary>
    public IReadOnlyList<string> AdapterPaths { get; init; } = [];

    /// <summary>The draft model for speculative decoding (a DRAFT layer), or null.</summary>
    public string? DraftModelPath { get; init; }

    public int ContextPerSlot { get; init; } = 4096;

    public int Parallel { get; init; } = 1;

    public int BatchSize { get; init; } = 512;

    /// <summary>Threads for generation; 0 = one per physical core (llama.cpp's choice).</summary>
    public int Threads { get; init; }

    public int GpuLayers { get; init; } = -1;

    public int MainGpu { get; init; }

    /// <summary>Layers each GPU takes (llama.cpp's tensor_split, in its device order); empty: llama.cpp's own split.</summary>
    public IReadOnlyList<int> TensorSplit { get; init; } = [];

    public bool UseMmap { get; init; } = true;

    /// <summary>"auto", "on" or "off".</summary>
    public string FlashAttention { get; init; } = "auto";

    /// <summary>KV cache element type: f16, q8_0, q4_0.</summary>
    public string KvCacheType { get; init; } = "f16";

    public bool Embedding { get; init; }

    /// <summary>Host memory for prompts that left the slots (see <c>Engine.Slots.PromptCache</c>); 0 keeps none.</summary>
    public int PromptCacheMegabytes { get; init; }

    /// <summary>Exit when stdin reaches end of file: the server that started the runner is gone (<see cref="ParentLifeline"/>).</summary>
    public bool ExitWithStdin { get; init; }

    public IReadOnlyList<string> ToArguments()
    {
        var c = CultureInfo.InvariantCulture;
        var args = new List<string>
        {
            "runner",
            "--model", ModelPath,
            "--socket", SocketPath,
            "--ctx-size", ContextPerSlot.ToString(c),
            "--parallel", Parallel.ToString(c),
            "--batch-size", BatchSize.ToString(c),
            "--threads", Threads.ToString(c),
            "--n-gpu-layers", GpuLayers.ToString(c),
            "--main-gpu", MainGpu.ToString(c),
            "--flash-attn", FlashAttention,
            "--kv-cache-type", KvCacheType,
        };
        if (TensorSplit.Count > 0)
        {
            args.Add("--tensor-split");
            args.Add(string.Join(',', TensorSplit.Select(n => n.ToString(c))));
        }

        if (ProjectorPath is not null)
        {
            args.Add("--mmproj");
            args.Add(ProjectorPath);
        }

        foreach (var adapter in AdapterPaths)
        {
            args.Add("--lora");
            args.Add(adapter);
        }

        if (DraftModelPath is not null)
        {
            args.Add("--draft-model");
            args.Add(DraftModelPath);
        }

        if (!UseMmap)
        {
            args.Add("--no-mmap");
        }

        if (Embedding)
        {
            args.Add("--embedding");
        }

        if (ExitWithStdin)
        {
            args.Add("--exit-with-stdin");
        }

        if (PromptCacheMegabytes > 0)
        {
            args.Add("--prompt-cache-mb");
            args.Add(PromptCacheMegabytes.ToString(c));
        }

        return args;
    }

    /// <summary>Parses the arguments after <c>runner</c>.</summary>
    public static RunnerLaunchOptions Parse(IReadOnlyList<string> args)
    {
        string? model = null, socket = null;
        var options = new RunnerLaunchOptions { ModelPath = string.Empty, SocketPath = string.Empty };
        var adapters = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"runner: {args[i]} needs a value");
            int NextInt() => int.Parse(Next(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--model": model = Next(); break;
                case "--socket": socket = Next(); break;
                case "--mmproj": options = options with { ProjectorPath = Next() }; break;
                case "--lora": adapters.Add(Next()); break;
                case "--draft-model": options = options with { DraftModelPath = Next() }; break;
                case "--ctx-size": options = options with { ContextPerSlot = NextInt() }; break;
                case "--parallel": options = options with { Parallel = NextInt() }; break;
                case "--batch-size": options = options with { BatchSize = NextInt() }; break;
                case "--threads": options = options with { Threads = NextInt() }; break;
                case "--n-gpu-layers": options = options with { GpuLayers = NextInt() }; break;
                case "--main-gpu": options = options with { MainGpu = NextInt() }; break;
                case "--tensor-split":
                    options = options with { TensorSplit = [.. Next().Split(',').Select(v => int.Parse(v, NumberStyles.None, CultureInfo.InvariantCulture))] };
                    break;
                case "--flash-attn": options = options with { FlashAttention = Next() }; break;
                case "--kv-cache-type": options = options with { KvCacheType = Next() }; break;
                case "--no-mmap": options = options with { UseMmap = false }; break;
                case "--embedding": options = options with { Embedding = true }; break;
                case "--exit-with-stdin": options = options with { ExitWithStdin = true }; break;
                case "--prompt-cache-mb": options = options with { PromptCacheMegabytes = NextInt() }; break;
                default: throw new ArgumentException($"runner: unknown argument '{args[i]}'");
            }
        }

        if (model is null || socket is null)
        {
            throw new ArgumentException("runner: --model and --socket are required");
        }

        if (options.ContextPerSlot < 1 || options.Parallel < 1 || options.BatchSize < 1)
        {
            throw new ArgumentException("runner: --ctx-size, --parallel and --batch-size must be positive");
        }

        return options with { ModelPath = model, SocketPath = socket, AdapterPaths = adapters };
    }
}
