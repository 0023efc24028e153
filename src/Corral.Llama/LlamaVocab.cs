using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using Corral.Llama.Native;

namespace Corral.Llama;

/// <summary>
/// The tokenizer of a model (<c>llama_vocab</c>, owned by the model). Thread-safe for tokenizing.
/// The span-based methods do not allocate, for per-token use in the runner.
/// </summary>
public sealed unsafe class LlamaVocab
{
    private readonly LlamaModel _model;
    private readonly nint _vocab;

    internal LlamaVocab(LlamaModel model, nint vocab)
    {
        _model = model;
        _vocab = vocab;
        Count = LlamaNative.llama_vocab_n_tokens(vocab);
    }

    /// <summary>The native <c>llama_vocab*</c>; valid while the model is.</summary>
    public nint NativePointer
    {
        get
        {
            _model.ThrowIfDisposed();
            return _vocab;
        }
    }

    /// <summary>Number of tokens (n_vocab).</summary>
    public int Count { get; }

    public LlamaVocabType Type => LlamaNative.llama_vocab_type(NativePointer);

    public LlamaToken? Bos => OrNull(LlamaNative.llama_vocab_bos(NativePointer));

    public LlamaToken? Eos => OrNull(LlamaNative.llama_vocab_eos(NativePointer));

    public LlamaToken? Eot => OrNull(LlamaNative.llama_vocab_eot(NativePointer));

    public LlamaToken? Sep => OrNull(LlamaNative.llama_vocab_sep(NativePointer));

    public LlamaToken? Newline => OrNull(LlamaNative.llama_vocab_nl(NativePointer));

    public LlamaToken? Pad => OrNull(LlamaNative.llama_vocab_pad(NativePointer));

    /// <summary>Whether tokenizing with addSpecial prepends BOS.</summary>
    public bool AddBos => LlamaNative.llama_vocab_get_add_bos(NativePointer);

    /// <summary>Whether tokenizing with addSpecial appends EOS.</summary>
    public bool AddEos => LlamaNative.llama_vocab_get_add_eos(NativePointer);

    /// <summary>Whether the tokenizer separates paired inputs with SEP (BERT-style vocabularies).</summary>
    public bool AddSep => LlamaNative.llama_vocab_get_add_sep(NativePointer);

    /// <summary>True for tokens that end generation (EOS, EOT, and model-specific ones).</summary>
    public bool IsEog(LlamaToken token) => LlamaNative.llama_vocab_is_eog(NativePointer, token.Value);

    public bool IsControl(LlamaToken token)
    {
        CheckToken(token);
        return LlamaNative.llama_vocab_is_control(NativePointer, token.Value);
    }

    public LlamaTokenAttributes GetAttributes(LlamaToken token)
    {
        CheckToken(token);
        return LlamaNative.llama_vocab_get_attr(NativePointer, token.Value);
    }

    public float GetScore(LlamaToken token)
    {
        CheckToken(token);
        return LlamaNative.llama_vocab_get_score(NativePointer, token.Value);
    }

    /// <summary>The raw vocabulary entry (e.g. "Ġhello" for byte-level BPE), not the decoded text.</summary>
    public string? GetText(LlamaToken token)
    {
        CheckToken(token);
        var text = LlamaNative.llama_vocab_get_text(NativePointer, token.Value);
        return text is null ? null : Marshal.PtrToStringUTF8((nint)text);
    }

    /// <summary>
    /// Tokenizes UTF-8 text into <paramref name="destination"/>. Returns the token count, or, when
    /// <param name="utf8">The text as UTF-8 bytes.</param>
    /// <param name="destination">Receives the tokens.</param>
    /// <paramref name="destination"/> is too small, minus the count needed.
    /// </summary>
    /// <param name="addSpecial">Add BOS/EOS as the model is configured to.</param>
    /// <param name="parseSpecial">Turn special-token text (e.g. "&lt;|eot_id|&gt;") into the special token instead of plain text.</param>
    public int Tokenize(ReadOnlySpan<byte> utf8, Span<LlamaToken> destination, bool addSpecial, bool parseSpecial)
    {
        var vocab = NativePointer;
        fixed (byte* text = utf8)
        fixed (LlamaToken* tokens = destination)
        {
            var result = LlamaNative.llama_tokenize(vocab, text, utf8.Length, (int*)tokens, destination.Length,
                addSpecial, parseSpecial);
            if (result == int.MinValue)
            {
                throw new LlamaException("Tokenization overflow: the text produces more than int.MaxValue tokens");
            }

            return result;
        }
    }

    /// <summary>Tokenizes a string (convenience; allocates the result).</summary>
    public LlamaToken[] Tokenize(string text, bool addSpecial, bool parseSpecial)
    {
        ArgumentNullException.ThrowIfNull(text);
        var byteCount = Encoding.UTF8.GetByteCount(text);
        var rented = ArrayPool<byte>.Shared.Rent(Math.Max(1, byteCount));
        try
        {
            var utf8 = rented.AsSpan(0, Encoding.UTF8.GetBytes(text, rented));
            // One token per byte plus BOS/EOS is an upper bound for every tokenizer llama.cpp has.
            var tokens = new LlamaToken[byteCount + 2];
            var count = Tokenize(utf8, tokens, addSpecial, parseSpecial);
            if (count < 0)
            {
                tokens = new LlamaToken[-count];
                count = Tokenize(utf8, tokens, addSpecial, parseSpecial);
            }

            return count == tokens.Length ? tokens : tokens.AsSpan(0, count).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Writes the raw UTF-8 bytes of one token into <paramref name="destination"/> (a piece may end in
    /// the middle of a multi-byte character). Returns the byte count, or minus the size needed.
    /// </summary>
    /// <param name="token">The token to render.</param>
    /// <param name="destination">Receives the bytes.</param>
    /// <param name="special">Render special/control tokens as their text instead of nothing.</param>
    /// <param name="leadingSpacesToSkip">Leading spaces to drop (lstrip).</param>
    public int TokenToPiece(LlamaToken token, Span<byte> destination, bool special, int leadingSpacesToSkip = 0)
    {
        CheckToken(token);
        var vocab = NativePointer;
        fixed (byte* buffer = destination)
        {
            return LlamaNative.llama_token_to_piece(vocab, token.Value, buffer, destination.Length, leadingSpacesToSkip, special);
        }
    }

    /// <summary>
    /// Converts tokens back to UTF-8 bytes. Returns the byte count, or minus the size needed.
    /// </summary>
    public int Detokenize(ReadOnlySpan<LlamaToken> tokens, Span<byte> destination, bool removeSpecial, bool unparseSpecial)
    {
        foreach (var token in tokens)
        {
            CheckToken(token);
        }

        var vocab = NativePointer;
        fixed (LlamaToken* t = tokens)
        fixed (byte* text = destination)
        {
            return LlamaNative.llama_detokenize(vocab, (int*)t, tokens.Length, text, destination.Length, removeSpecial, unparseSpecial);
        }
    }

    /// <summary>Converts tokens back to text (invalid UTF-8 becomes U+FFFD).</summary>
    public string Detokenize(ReadOnlySpan<LlamaToken> tokens, bool removeSpecial = false, bool unparseSpecial = false)
    {
        var rented = ArrayPool<byte>.Shared.Rent(Math.Max(64, tokens.Length * 8));
        try
        {
            var length = Detokenize(tokens, rented, removeSpecial, unparseSpecial);
            if (length < 0)
            {
                ArrayPool<byte>.Shared.Return(rented);
                rented = ArrayPool<byte>.Shared.Rent(-length);
                length = Detokenize(tokens, rented, removeSpecial, unparseSpecial);
            }

            return Encoding.UTF8.GetString(rented, 0, Math.Max(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    internal static LlamaToken? OrNull(int token) => token == LlamaNative.TokenNull ? null : new LlamaToken(token);

    private void CheckToken(LlamaToken token)
    {
        // llama.cpp indexes its token table unchecked (or with .at(), whose C++ exception would
        // terminate the process), so out-of-range ids are stopped here.
        if ((uint)token.Value >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(token), token.Value, $"Token id must be in [0, {Count}).");
        }
    }
}
