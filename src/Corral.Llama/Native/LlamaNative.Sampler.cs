using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Corral.Llama.Native;

// Sampler API. llama_sampler_init_* return a sampler the caller owns until it is added to a chain
// (llama_sampler_chain_add takes ownership).
internal static unsafe partial class LlamaNative
{
    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial NativeSamplerChainParams llama_sampler_chain_default_params();

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nint llama_sampler_chain_init(NativeSamplerChainParams parameters);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void llama_sampler_chain_add(SafeLlamaSamplerHandle chain, nint smpl);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nint llama_sampler_chain_get(SafeLlamaSamplerHandle chain, int i);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int llama_sampler_chain_n(SafeLlamaSamplerHandle chain);

    /// <returns>The removed sampler, now owned by the caller.</returns>
    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nint llama_sampler_chain_remove(SafeLlamaSamplerHandle chain, int i);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial byte* llama_sampler_name(nint smpl);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void llama_sampler_accept(SafeLlamaSamplerHandle smpl, int token);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void llama_sampler_apply(SafeLlamaSamplerHandle smpl, NativeTokenDataArray* curP);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void llama_sampler_reset(SafeLlamaSamplerHandle smpl);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void llama_sampler_free(nint smpl);

    /// <returns>A copy of the sampler (settings and state), owned by the caller.</returns>
    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nint llama_sampler_clone(nint smpl);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial uint llama_sampler_get_seed(SafeLlamaSamplerHandle smpl);

    /// <summary>Samples from output <paramref name="idx"/> of the last decode and accepts the token.</summary>
    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int llama_sampler_sample(SafeLlamaSamplerHandle smpl, SafeLlamaContextHandle ctx, int idx);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nint llama_sampler_init_greedy();

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nint llama_sampler_init_dist(uint seed);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nint llama_sampler_init_top_k(int k);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nint llama_sampler_init_top_p(float p, nuint minKeep);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nint llama_sampler_init_min_p(float p, nuint minKeep);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nint llama_sampler_init_typical(float p, nuint minKeep);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nint llama_sampler_init_temp(float t);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nint llama_sampler_init_temp_ext(float t, float delta, float exponent);

    /// <summary>XTC: with chance <paramref name="p"/>, removes every token of probability at least <paramref name="t"/> but the least likely of them.</summary>
    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nint llama_sampler_init_xtc(float p, float t, nuint minKeep, uint seed);

    /// <summary>Masks tokens whose logit is more than <paramref name="n"/> standard deviations below the top one; n &lt;= 0 is a no-op.</summary>
    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nint llama_sampler_init_top_n_sigma(float n);

    /// <summary>
    /// DRY ("don't repeat yourself"). <paramref name="seqBreakers"/> is an array of <paramref name="numBreakers"/>
    /// NUL-terminated UTF-8 strings, copied before the call returns; each costs a pass over the whole vocabulary here.
    /// A disabled configuration (multiplier 0, base &lt; 1, last_n 0; last_n &lt; 0 counts as 0) returns an empty sampler.
    /// </summary>
    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nint llama_sampler_init_dry(nint vocab, float dryMultiplier, float dryBase, int dryAllowedLength,
        int dryPenaltyLastN, byte** seqBreakers, nuint numBreakers);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nint llama_sampler_init_penalties(int nVocab, int penaltyLastN, float penaltyRepeat,
        float penaltyFreq, float penaltyPresent);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nint llama_sampler_init_mirostat(int nVocab, uint seed, float tau, float eta, int m);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nint llama_sampler_init_mirostat_v2(uint seed, float tau, float eta);

    /// <returns>The grammar sampler, or null when the grammar does not parse.</returns>
    [LibraryImport(LlamaLibrary, StringMarshalling = StringMarshalling.Utf8)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nint llama_sampler_init_grammar(nint vocab, string grammarStr, string grammarRoot);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nint llama_sampler_init_logit_bias(int nVocab, int nLogitBias, NativeLogitBias* logitBias);
}
