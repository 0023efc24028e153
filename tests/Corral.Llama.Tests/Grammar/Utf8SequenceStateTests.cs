using System.Buffers;
using System.Text;
using Corral.Llama.Grammar;

namespace Corral.Llama.Tests.Grammar;

/// <summary>The strict UTF-8 state machine behind <see cref="GrammarConstrainedSampler"/>'s UTF-8 guard.</summary>
public sealed class Utf8SequenceStateTests
{
    [Theory]
    [InlineData("")]
    [InlineData("41")] // A
    [InlineData("7F")]
    [InlineData("C280")] // U+0080, smallest two-byte
    [InlineData("C3A9")] // é
    [InlineData("DFBF")] // U+07FF
    [InlineData("E0A080")] // U+0800, smallest three-byte
    [InlineData("E697A5E69CAC")] // 日本
    [InlineData("ED9FBF")] // U+D7FF, just below the surrogates
    [InlineData("EE8080")] // U+E000, just above them
    [InlineData("EFBFBF")] // U+FFFF
    [InlineData("F0908080")] // U+10000, smallest four-byte
    [InlineData("F09F9880")] // 😀
    [InlineData("F48FBFBF")] // U+10FFFF, the last code point
    public void Valid_sequences_end_at_a_boundary(string hex)
    {
        Assert.True(Utf8SequenceState.Start.TryAdvance(Convert.FromHexString(hex), out var end));
        Assert.True(end.IsAtCharacterBoundary);
    }

    [Theory]
    [InlineData("80")] // continuation byte without a lead
    [InlineData("41BF")]
    [InlineData("C080")] // overlong two-byte forms
    [InlineData("C1BF")]
    [InlineData("E08080")] // overlong three-byte
    [InlineData("E09FBF")]
    [InlineData("EDA080")] // surrogates U+D800-U+DFFF
    [InlineData("EDBFBF")]
    [InlineData("F0808080")] // overlong four-byte
    [InlineData("F08FBFBF")]
    [InlineData("F4908080")] // past U+10FFFF
    [InlineData("F5808080")] // lead bytes that llama.cpp's grammar reads as four-byte leads
    [InlineData("F8")]
    [InlineData("FF")]
    [InlineData("C341")] // lead byte followed by a non-continuation
    [InlineData("C322")] // a string closing inside a character
    [InlineData("E69722")]
    [InlineData("F09F98C3A9")]
    [InlineData("C3A9A9")] // one continuation too many
    public void Invalid_sequences_are_refused(string hex)
    {
        Assert.False(Utf8SequenceState.Start.TryAdvance(Convert.FromHexString(hex), out var end));
        Assert.Equal(Utf8SequenceState.Start, end);
    }

    [Theory]
    [InlineData("C3", 1)]
    [InlineData("E6", 2)]
    [InlineData("E697", 1)]
    [InlineData("F0", 3)]
    [InlineData("F09F", 2)]
    [InlineData("41F09F98", 1)]
    public void Unfinished_characters_are_pending(string hex, int pending)
    {
        Assert.True(Utf8SequenceState.Start.TryAdvance(Convert.FromHexString(hex), out var end));
        Assert.False(end.IsAtCharacterBoundary);
        Assert.Equal(pending, end.PendingContinuations);
    }

    [Theory]
    [InlineData("E0", 0x9F, 0xA0)] // the first continuation's range depends on the lead byte
    [InlineData("ED", 0xA0, 0x9F)]
    [InlineData("F0", 0x8F, 0x90)]
    [InlineData("F4", 0x90, 0x8F)]
    [InlineData("C3", 0x41, 0x80)]
    public void Next_byte_range_follows_the_lead(string hex, byte refused, byte accepted)
    {
        Assert.True(Utf8SequenceState.Start.TryAdvance(Convert.FromHexString(hex), out var state));
        Assert.False(state.Accepts(refused));
        Assert.True(state.Accepts(accepted));
    }

    [Fact]
    public void Agrees_with_the_strict_decoder_on_every_short_sequence()
    {
        Span<byte> bytes = stackalloc byte[3];
        for (var length = 1; length <= 3; length++)
        {
            var total = 1 << (8 * length);
            for (var n = 0; n < total; n++)
            {
                for (var i = 0; i < length; i++)
                {
                    bytes[i] = (byte)(n >> (8 * i));
                }

                AssertAgreesWithDecoder(bytes[..length]);
            }
        }
    }

    [Fact]
    public void Agrees_with_the_strict_decoder_on_random_longer_sequences()
    {
        var random = new Random(6);
        var bytes = new byte[8];
        for (var n = 0; n < 300_000; n++)
        {
            var length = random.Next(4, bytes.Length + 1);
            for (var i = 0; i < length; i++)
            {
                // Mostly bytes that start or continue characters, so valid sequences come up often.
                bytes[i] = (byte)(random.Next(4) == 0 ? random.Next(256) : random.Next(0x80, 0xF5));
            }

            AssertAgreesWithDecoder(bytes.AsSpan(0, length));
        }
    }

    /// <summary>Accepted and complete ⇔ valid UTF-8; accepted but pending ⇔ valid up to an unfinished last character.</summary>
    private static void AssertAgreesWithDecoder(ReadOnlySpan<byte> bytes)
    {
        var accepted = Utf8SequenceState.Start.TryAdvance(bytes, out var end);
        var (valid, unfinished) = Decode(bytes);
        if (accepted != (valid || unfinished) || (accepted && end.IsAtCharacterBoundary != valid))
        {
            Assert.Fail($"{Convert.ToHexString(bytes)}: accepted {accepted} ({end}), decoder valid {valid}, unfinished {unfinished}");
        }
    }

    private static (bool Valid, bool Unfinished) Decode(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var status = Rune.DecodeFromUtf8(bytes, out _, out var consumed);
            if (status == OperationStatus.NeedMoreData)
            {
                return (false, true);
            }

            if (status != OperationStatus.Done)
            {
                return (false, false);
            }

            bytes = bytes[consumed..];
        }

        return (true, false);
    }
}
