namespace Corral.Llama.Multimodal;

/// <summary>What an <see cref="MtmdChunk"/> holds (enum mtmd_input_chunk_type).</summary>
public enum MtmdChunkType
{
    Text = 0,
    Image = 1,
    Audio = 2,
}
