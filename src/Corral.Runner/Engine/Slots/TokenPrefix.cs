using System.Runtime.InteropServices;
using Corral.Llama;

namespace Corral.Runner.Engine.Slots;

/// <summary>Prefix comparisons of token sequences, vectorised (tokens compared as the ints they wrap).</summary>
internal static class TokenPrefix
{
    public static int CommonLength(ReadOnlySpan<LlamaToken> a, ReadOnlySpan<LlamaToken> b) =>
        MemoryMarshal.Cast<LlamaToken, int>(a).CommonPrefixLength(MemoryMarshal.Cast<LlamaToken, int>(b));

    /// <summary>Whether <paramref name="whole"/> starts with all of <paramref name="prefix"/>.</summary>
    public static bool StartsWith(ReadOnlySpan<LlamaToken> whole, ReadOnlySpan<LlamaToken> prefix) =>
        whole.Length >= prefix.Length && CommonLength(whole, prefix) == prefix.Length;
}
