using System.Runtime.InteropServices;
using Corral.Llama;

namespace Corral.Runner.Engine.Slots;

/// <summary>
/// One sequence of the shared llama context. <see cref="Cached"/> mirrors exactly the
/// tokens whose KV cells this sequence holds, in position order, which is what the
/// prefix cache matches new prompts against.
/// </summary>
internal sealed class Slot(int index)
{
    public int Index { get; } = index;

    public LlamaSeqId Seq { get; } = new(index);

    public List<LlamaToken> Cached { get; } = [];

    /// <summary>The LoRA scales <see cref="Cached"/> was evaluated under: its KV serves only prompts under the same.</summary>
    public Adapters.AdapterScales CachedScales { get; set; } = Adapters.AdapterScales.None;

    public ActiveCompletion? Request { get; set; }

    /// <summary>Monotonic stamp of last use, for least-recently-used choice between equal prefixes.</summary>
    public long LastUsed { get; set; }

    public bool IsFree => Request is null;

    /// <summary>How many leading tokens of <paramref name="prompt"/> this slot's KV holds as evaluated under <paramref name="scales"/>.</summary>
    public int CommonPrefixLength(ReadOnlySpan<LlamaToken> prompt, Adapters.AdapterScales scales) =>
        scales.Equals(CachedScales) ? TokenPrefix.CommonLength(CollectionsMarshal.AsSpan(Cached), prompt) : 0;
}
