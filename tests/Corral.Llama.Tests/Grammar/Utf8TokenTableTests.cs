using Corral.Llama.Grammar;

namespace Corral.Llama.Tests.Grammar;

/// <summary>
/// The per-vocabulary O(1) shortcut must say exactly what running the state machine over each token's bytes
/// says, from every kind of state (the byte-level test vocabulary has every byte as a token, plus merges).
/// </summary>
public sealed class Utf8TokenTableTests(TinyModelFixture fixture) : IClassFixture<TinyModelFixture>
{
    private static readonly string[] Prefixes = ["", "41", "C3", "E0", "ED", "E6", "E697", "F0", "F09F", "F09F98", "F4", "F48F"];

    [Fact]
    public void Table_agrees_with_the_state_machine_for_every_token_and_state()
    {
        var vocab = fixture.Model.Vocab;
        var table = Utf8TokenTable.For(vocab);
        Assert.Equal(vocab.Count, table.Count);
        Span<byte> piece = stackalloc byte[256];
        var allowedSomewhere = 0;
        foreach (var prefix in Prefixes)
        {
            Assert.True(Utf8SequenceState.Start.TryAdvance(Convert.FromHexString(prefix), out var state), prefix);
            for (var id = 0; id < vocab.Count; id++)
            {
                var token = new LlamaToken(id);
                bool expected;
                var expectedAfter = state;
                if (vocab.IsEog(token))
                {
                    expected = state.IsAtCharacterBoundary;
                }
                else
                {
                    var length = vocab.TokenToPiece(token, piece, special: true);
                    expected = state.TryAdvance(piece[..length], out expectedAfter);
                }

                Assert.True(expected == table.Allows(state, id), $"token {id} after {prefix}: expected {expected}");
                if (expected)
                {
                    allowedSomewhere++;
                    Assert.Equal(expectedAfter, table.After(state, id));
                }
            }
        }

        Assert.True(allowedSomewhere > vocab.Count, "too few tokens allowed: the comparison proves little");
    }

    [Fact]
    public void Table_is_built_once_per_vocabulary() =>
        Assert.Same(Utf8TokenTable.For(fixture.Model.Vocab), Utf8TokenTable.For(fixture.Model.Vocab));

    [Fact]
    public void A_forced_broken_token_resumes_tracking_after_it()
    {
        var table = Utf8TokenTable.For(fixture.Model.Vocab);
        Assert.True(Utf8SequenceState.Start.TryAdvance([0xC3], out var pending));
        Assert.False(table.Allows(pending, '"'));
        Assert.Equal(Utf8SequenceState.Start, table.After(pending, '"'));
        Assert.False(table.Allows(Utf8SequenceState.Start, 0x80));
        Assert.Equal(Utf8SequenceState.Start, table.After(Utf8SequenceState.Start, 0x80));
    }
}
