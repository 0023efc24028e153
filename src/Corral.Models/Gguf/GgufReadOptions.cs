namespace Corral.Models.Gguf;

/// <summary>Controls how much of a GGUF file's metadata <see cref="GgufReader"/> materializes.</summary>
public sealed record GgufReadOptions
{
    /// <summary>Reads every value, arrays included.</summary>
    public static GgufReadOptions Default { get; } = new();

    /// <summary>
    /// Reads scalars and array lengths only: cheap for /api/show on a model whose vocabulary has 128k strings.
    /// Arrays are still walked and validated, just not kept.
    /// </summary>
    public static GgufReadOptions MetadataOnly { get; } = new() { MaxArrayElementsToMaterialize = 0 };

    /// <summary>
    /// Arrays with more elements than this are skipped (<see cref="GgufArray.IsMaterialized"/> is false)
    /// but their length and element type are still known.
    /// </summary>
    public long MaxArrayElementsToMaterialize { get; init; } = long.MaxValue;

    /// <summary>
    /// Top-level arrays read whatever <see cref="MaxArrayElementsToMaterialize"/> says: e.g. the vocabulary, for the
    /// text of a few special tokens, without the merges, which are as long again.
    /// </summary>
    public IReadOnlySet<string>? AlwaysMaterialize { get; init; }

    /// <summary>
    /// Top-level string arrays whose elements are read as Latin-1 (one char per byte) instead of UTF-8, so the exact
    /// bytes are kept: the vocabulary, when checking it the way llama.cpp's loader sees it (see <see cref="GgufIntegrity"/>).
    /// </summary>
    public IReadOnlySet<string>? RawStringArrays { get; init; }
}
