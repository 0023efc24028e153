using System.Runtime.CompilerServices;

namespace Corral.Llama.Grammar;

/// <summary>
/// The UTF-8 shape of every token of a vocabulary, computed once per vocabulary, so that whether a token may
/// follow a <see cref="Utf8SequenceState"/> (and the state after it) is O(1): a token is valid when its leading
/// continuation bytes finish exactly the pending character and the rest is valid UTF-8 on its own (it may end
/// inside a character). End-of-generation tokens are valid only at a character boundary. Pieces are the text
/// llama.cpp's grammar matches (special tokens rendered), so both judge the same bytes.
/// </summary>
internal sealed class Utf8TokenTable
{
    private static readonly ConditionalWeakTable<LlamaVocab, Utf8TokenTable> Tables = new();

    // Lengths and counts above 3 behave alike (never within one pending character), so they are capped at 4.
    private const int Many = 4;

    private readonly Shape[] _shapes;

    private Utf8TokenTable(LlamaVocab vocab)
    {
        _shapes = new Shape[vocab.Count];
        Span<byte> stack = stackalloc byte[256];
        for (var id = 0; id < _shapes.Length; id++)
        {
            var token = new LlamaToken(id);
            if (vocab.IsEog(token))
            {
                _shapes[id] = new Shape { IsEog = true };
                continue;
            }

            var buffer = stack;
            var length = vocab.TokenToPiece(token, buffer, special: true);
            if (length < 0)
            {
                buffer = new byte[-length];
                length = vocab.TokenToPiece(token, buffer, special: true);
            }

            _shapes[id] = Shape.Of(buffer[..Math.Max(0, length)]);
        }
    }

    /// <summary>The table of <paramref name="vocab"/>, built on first use (O(vocabulary)) and kept as long as the vocabulary.</summary>
    public static Utf8TokenTable For(LlamaVocab vocab) => Tables.GetValue(vocab, static v => new Utf8TokenTable(v));

    public int Count => _shapes.Length;

    /// <summary>Whether <paramref name="token"/>'s bytes may follow <paramref name="state"/> in strict UTF-8.</summary>
    public bool Allows(Utf8SequenceState state, int token)
    {
        ref readonly var shape = ref _shapes[token];
        if (shape.IsEog)
        {
            return state.IsAtCharacterBoundary;
        }

        if (shape.Length == 0)
        {
            return true;
        }

        var pending = state.PendingContinuations;
        if (pending == 0)
        {
            return shape.Leading == 0 && shape.BodyValid;
        }

        if (!state.Accepts(shape.First))
        {
            return false;
        }

        // Entirely inside the pending character, or finishing it exactly and going on validly.
        return shape.Length <= pending ? shape.Leading == shape.Length : shape.Leading == pending && shape.BodyValid;
    }

    /// <summary>
    /// The state after <paramref name="token"/>. For a token <see cref="Allows"/> refuses (one forced by the
    /// caller), the broken character is dropped and tracking resumes after it, as a decoder would.
    /// </summary>
    public Utf8SequenceState After(Utf8SequenceState state, int token)
    {
        ref readonly var shape = ref _shapes[token];
        if (shape.IsEog || shape.Length == 0)
        {
            return state;
        }

        var pending = state.PendingContinuations;
        if (pending > 0 && shape.Length <= pending && shape.Leading == shape.Length && state.Accepts(shape.First))
        {
            return state.AfterContinuations(shape.Length);
        }

        return shape.BodyValid && shape.Leading < shape.Length ? shape.BodyEnd : Utf8SequenceState.Start;
    }

    private readonly struct Shape
    {
        public bool IsEog { get; init; }

        /// <summary>Piece length, capped at <see cref="Many"/>.</summary>
        public byte Length { get; init; }

        public byte First { get; init; }

        /// <summary>Leading continuation bytes (0x80-0xBF), capped at <see cref="Many"/>.</summary>
        public byte Leading { get; init; }

        /// <summary>The bytes after the leading continuation bytes are valid UTF-8 from a character boundary.</summary>
        public bool BodyValid { get; init; }

        /// <summary>The state after those bytes when <see cref="BodyValid"/>.</summary>
        public Utf8SequenceState BodyEnd { get; init; }

        public static Shape Of(ReadOnlySpan<byte> piece)
        {
            if (piece.IsEmpty)
            {
                return default;
            }

            var leading = 0;
            while (leading < piece.Length && (piece[leading] & 0xC0) == 0x80)
            {
                leading++;
            }

            var end = Utf8SequenceState.Start;
            var bodyValid = leading < Many && Utf8SequenceState.Start.TryAdvance(piece[leading..], out end);
            return new Shape
            {
                Length = (byte)Math.Min(piece.Length, Many),
                First = piece[0],
                Leading = (byte)Math.Min(leading, Many),
                BodyValid = bodyValid,
                BodyEnd = end,
            };
        }
    }
}
