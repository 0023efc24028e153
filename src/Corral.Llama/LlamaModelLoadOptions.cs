namespace Corral.Llama;

/// <summary>How to load a model (a subset of <c>llama_model_params</c>).</summary>
public sealed record LlamaModelLoadOptions
{
    public static LlamaModelLoadOptions Default { get; } = new();

    /// <summary>Layers to offload to a GPU; negative means all (llama.cpp's default). Ignored on CPU-only builds.</summary>
    public int GpuLayers { get; init; } = -1;

    /// <summary>GPU used for the whole model when it is not split.</summary>
    public int MainGpu { get; init; }

    /// <summary>
    /// Share of the offloaded layers each GPU takes, in llama.cpp's device order (null or empty: by free memory,
    /// llama.cpp's default). Layers go out in order: the first GPU with a share gets the lowest offloaded layers.
    /// </summary>
    public IReadOnlyList<float>? TensorSplit { get; init; }

    /// <summary>Memory-map the file; null lets llama.cpp decide.</summary>
    public bool? UseMmap { get; init; }

    /// <summary>Lock the model in RAM (mlock).</summary>
    public bool UseMlock { get; init; }

    /// <summary>Load only the vocabulary (tokenizer), no weights: fast, enough for tokenizing.</summary>
    public bool VocabOnly { get; init; }

    /// <summary>Validate tensor data while loading (slow).</summary>
    public bool CheckTensors { get; init; }
}
