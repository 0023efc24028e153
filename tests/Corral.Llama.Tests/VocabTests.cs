using System.Text;

namespace Corral.Llama.Tests;

public sealed class VocabTests(VocabFixture fixture) : IClassFixture<VocabFixture>
{
    private readonly LlamaVocab _vocab = fixture.Vocab;

    /// <summary>
    /// Cases from llama.cpp's own tokenizer test data: the .inp file holds texts separated by
    /// "\n__ggml_vocab_test__\n", the .out file one line of space-separated token ids per text
    /// (tokenized without special tokens).
    /// </summary>
    public static TheoryData<int> CaseIndexes()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < ReadCases().Count; i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CaseIndexes))]
    public void Tokenize_matches_llama_cpp_reference_and_round_trips(int index)
    {
        var (text, expected) = ReadCases()[index];
        var tokens = _vocab.Tokenize(text, addSpecial: false, parseSpecial: false);
        Assert.Equal(expected, tokens.Select(t => t.Value).ToArray());

        // The raw pieces of a byte-level BPE vocabulary concatenate to exactly the input bytes.
        var pieces = new List<byte>();
        Span<byte> buffer = stackalloc byte[256];
        foreach (var token in tokens)
        {
            pieces.AddRange(buffer[.._vocab.TokenToPiece(token, buffer, special: false)].ToArray());
        }

        Assert.Equal(Encoding.UTF8.GetBytes(text), pieces.ToArray());

        // llama_detokenize also cleans spaces before punctuation and in contractions (" ?" -> "?",
        // " 's" -> "'s"), as the tokenizer's clean_up_tokenization_spaces asks; elsewhere it is exact.
        if (!System.Text.RegularExpressions.Regex.IsMatch(text, @" [?!.,]| '"))
        {
            Assert.Equal(text, _vocab.Detokenize(tokens));
        }
    }

    [Fact]
    public void Span_tokenize_reports_the_needed_size_when_the_destination_is_too_small()
    {
        var utf8 = "Hello world, this is a test"u8;
        Span<LlamaToken> tiny = stackalloc LlamaToken[2];
        var needed = _vocab.Tokenize(utf8, tiny, addSpecial: true, parseSpecial: false);
        Assert.True(needed < -2);

        Span<LlamaToken> enough = stackalloc LlamaToken[-needed];
        Assert.Equal(-needed, _vocab.Tokenize(utf8, enough, addSpecial: true, parseSpecial: false));
        Assert.Equal(_vocab.Bos, enough[0]);
    }

    [Fact]
    public void Special_token_text_is_parsed_only_when_asked()
    {
        var eot = _vocab.Eot!.Value;
        Assert.Equal(new[] { eot }, _vocab.Tokenize("<|eot_id|>", addSpecial: false, parseSpecial: true));
        Assert.True(_vocab.Tokenize("<|eot_id|>", addSpecial: false, parseSpecial: false).Length > 1);
    }

    [Fact]
    public void Token_to_piece_writes_raw_utf8_into_a_span()
    {
        var tokens = _vocab.Tokenize(" héllo", addSpecial: false, parseSpecial: false);
        var bytes = new List<byte>();
        Span<byte> buffer = stackalloc byte[64];
        foreach (var token in tokens)
        {
            var n = _vocab.TokenToPiece(token, buffer, special: false);
            Assert.True(n >= 0);
            bytes.AddRange(buffer[..n].ToArray());
        }

        Assert.Equal(" héllo", Encoding.UTF8.GetString(bytes.ToArray()));
    }

    [Fact]
    public void Token_to_piece_reports_the_needed_size()
    {
        var token = _vocab.Tokenize(" hello", addSpecial: false, parseSpecial: false)[0];
        Span<byte> small = stackalloc byte[1];
        Assert.Equal(-6, _vocab.TokenToPiece(token, small, special: false));
    }

    [Fact]
    public void Special_tokens_render_only_when_asked()
    {
        var eot = _vocab.Eot!.Value;
        Span<byte> buffer = stackalloc byte[64];
        Assert.Equal(0, _vocab.TokenToPiece(eot, buffer, special: false));
        var n = _vocab.TokenToPiece(eot, buffer, special: true);
        Assert.Equal("<|eot_id|>", Encoding.UTF8.GetString(buffer[..n]));
    }

    [Fact]
    public void End_of_generation_and_control_tokens()
    {
        var eos = _vocab.Eos!.Value;
        Assert.True(_vocab.IsEog(eos));
        Assert.True(_vocab.IsEog(_vocab.Eot!.Value));
        Assert.True(_vocab.IsControl(eos));
        var hello = _vocab.Tokenize("hello", addSpecial: false, parseSpecial: false)[0];
        Assert.False(_vocab.IsEog(hello));
        Assert.False(_vocab.IsControl(hello));
        Assert.Equal("hello", _vocab.GetText(hello));
        Assert.True(_vocab.GetAttributes(hello).HasFlag(LlamaTokenAttributes.Normal));
    }

    [Fact]
    public void Bos_is_added_by_the_llama3_tokenizer()
    {
        Assert.True(_vocab.AddBos);
        Assert.False(_vocab.AddEos);
        Assert.Equal(128000, _vocab.Bos!.Value.Value);
        var tokens = _vocab.Tokenize("hi", addSpecial: true, parseSpecial: false);
        Assert.Equal(_vocab.Bos, tokens[0]);
        Assert.Equal("hi", _vocab.Detokenize(tokens, removeSpecial: true));
        Assert.Equal("<|begin_of_text|>hi", _vocab.Detokenize(tokens, removeSpecial: false, unparseSpecial: true));
    }

    [Fact]
    public void Out_of_range_tokens_are_rejected_before_reaching_native_code()
    {
        Span<byte> buffer = stackalloc byte[16];
        var beyond = new LlamaToken(_vocab.Count);
        try
        {
            _vocab.TokenToPiece(beyond, buffer, special: false);
            Assert.Fail("expected ArgumentOutOfRangeException");
        }
        catch (ArgumentOutOfRangeException)
        {
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => _vocab.Detokenize([new LlamaToken(-5)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => _vocab.GetText(beyond));
    }

    private static List<(string Text, int[] Tokens)> ReadCases()
    {
        var basePath = TestEnvironment.VocabPath("llama-bpe");
        var input = File.ReadAllText(basePath + ".inp");
        var texts = input.Split("\n__ggml_vocab_test__\n");
        if (texts[^1].Length == 0)
        {
            texts = texts[..^1];
        }

        var outputs = File.ReadAllLines(basePath + ".out");
        Assert.Equal(texts.Length, outputs.Length);
        return texts.Zip(outputs, (text, line) => (text,
                line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray()))
            .ToList();
    }
}
