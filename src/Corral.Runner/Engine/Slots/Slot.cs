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

    public ActiveCompletion? Request { get; set; }

    /// <summary>Monotonic stamp of last use, for least-recently-used choice between equal prefixes.</summary>
    public long LastUsed { get; set; }

    public bool IsFree => Request is null;

    public int CommonPrefixLength(ReadOnlySpan<LlamaToken> prompt) =>
        TokenPrefix.CommonLength(CollectionsMarshal.AsSpan(Cached), prompt);
}
