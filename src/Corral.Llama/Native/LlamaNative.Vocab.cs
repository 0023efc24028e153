using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Corral.Llama.Native;

// Vocabulary, tokenization. The vocab pointer is owned by its model.
internal static unsafe partial class LlamaNative
{
    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial LlamaVocabType llama_vocab_type(nint vocab);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int llama_vocab_n_tokens(nint vocab);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial byte* llama_vocab_get_text(nint vocab, int token);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial float llama_vocab_get_score(nint vocab, int token);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial LlamaTokenAttributes llama_vocab_get_attr(nint vocab, int token);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool llama_vocab_is_eog(nint vocab, int token);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool llama_vocab_is_control(nint vocab, int token);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int llama_vocab_bos(nint vocab);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int llama_vocab_eos(nint vocab);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int llama_vocab_eot(nint vocab);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int llama_vocab_sep(nint vocab);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int llama_vocab_nl(nint vocab);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int llama_vocab_pad(nint vocab);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool llama_vocab_get_add_bos(nint vocab);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool llama_vocab_get_add_eos(nint vocab);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool llama_vocab_get_add_sep(nint vocab);

    /// <returns>Token count, or minus the count needed when <paramref name="nTokensMax"/> is too small (INT32_MIN on overflow).</returns>
    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int llama_tokenize(nint vocab, byte* text, int textLen, int* tokens, int nTokensMax,
        [MarshalAs(UnmanagedType.U1)] bool addSpecial, [MarshalAs(UnmanagedType.U1)] bool parseSpecial);

    /// <returns>Bytes written (no NUL), or minus the size needed.</returns>
    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int llama_token_to_piece(nint vocab, int token, byte* buf, int length, int lstrip,
        [MarshalAs(UnmanagedType.U1)] bool special);

    /// <returns>Bytes written, or minus the size needed.</returns>
    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int llama_detokenize(nint vocab, int* tokens, int nTokens, byte* text, int textLenMax,
        [MarshalAs(UnmanagedType.U1)] bool removeSpecial, [MarshalAs(UnmanagedType.U1)] bool unparseSpecial);
}
