using Corral.Llama;
using Corral.Runner.Engine.Admission;
using Corral.Testing;

namespace Corral.Runner.Tests.Engine;

/// <summary>
/// A prompt far beyond the context is tokenized only at the ends truncation keeps; the kept tokens must be exactly
/// those of tokenizing everything, so a huge prompt is answered as Ollama would, only without the cost.
/// </summary>
public sealed class LongTextTokensTests : IDisposable
{
    private readonly LlamaModel _model;

    public LongTextTokensTests()
    {
        LlamaBackend.EnsureInitialized();
        _model = LlamaModel.Load(GeneratedModels.Random, new LlamaModelLoadOptions { VocabOnly = true });
    }

    public void Dispose() => _model.Dispose();

    private static string LongText(int words) =>
        string.Join(' ', Enumerable.Range(0, words).Select(i => i % 17 == 0 ? $"line{i}\n" : $"w{i * 7919 % 1000}é"));

    [Theory]
    [InlineData(0, 1023)]
    [InlineData(4, 1019)]
    [InlineData(100, 400)]
    public void The_ends_of_a_long_text_are_the_ends_of_its_whole_tokenization(int keep, int tail)
    {
        var text = LongText(200_000);
        var whole = _model.Vocab.Tokenize(text, addSpecial: true, parseSpecial: true);
        var expected = CompletionAdmission.TruncatePrompt(whole, keep, keep + tail);

        var ends = LongTextTokens.Ends(_model.Vocab, text, keep, tail, addSpecial: true, parseSpecial: true);

        Assert.NotNull(ends);
        Assert.Equal(expected.Select(t => t.Value), ends.Select(t => t.Value));
    }

    [Fact]
    public void A_text_that_fits_is_left_to_whole_tokenization()
    {
        var text = LongText(300); // about 600 tokens
        Assert.Null(LongTextTokens.Ends(_model.Vocab, text, 4, 1019, addSpecial: true, parseSpecial: true));
        Assert.Null(LongTextTokens.Head(_model.Vocab, text, 1024, addSpecial: true, parseSpecial: true));
    }

    [Fact]
    public void The_head_of_a_long_text_is_more_than_the_limit_and_starts_as_the_whole_does()
    {
        var text = LongText(200_000);
        var whole = _model.Vocab.Tokenize(text, addSpecial: true, parseSpecial: true);

        var head = LongTextTokens.Head(_model.Vocab, text, 1024, addSpecial: true, parseSpecial: true);

        Assert.NotNull(head);
        Assert.True(head.Length > 1024);
        Assert.True(head.Length < whole.Length / 10, $"tokenized {head.Length} of {whole.Length} tokens");
        Assert.Equal(whole.Take(1024).Select(t => t.Value), head.Take(1024).Select(t => t.Value));
    }
}
