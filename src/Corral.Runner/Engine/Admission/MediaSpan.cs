using Corral.Llama.Multimodal;

namespace Corral.Runner.Engine.Admission;

/// <summary>An image in a prompt: the prompt positions <see cref="Start"/>..+<see cref="Length"/> its embeddings fill.</summary>
internal sealed record MediaSpan(int Start, int Length, MtmdChunk Chunk)
{
    public int End => Start + Length;
}
