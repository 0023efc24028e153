using Corral.Llama;
using Corral.Runner.Engine.Slots;

namespace Corral.Runner.Engine.Speculation;

/// <summary>One slot's share of a drafting step: what it asks for (<see cref="Max"/> tokens after <see cref="Pending"/>) and what it got.</summary>
internal struct DraftWork
{
    public Slot Slot;
    public LlamaToken Pending;
    public int Max;
    public LlamaToken[] Drafts;
    public int Count;
}
