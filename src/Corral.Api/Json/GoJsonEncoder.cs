using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace Corral.Api.Json;

/// <summary>
/// Escapes strings exactly as Go's <c>encoding/json</c> does, so Corral's bytes match Ollama's: raw UTF-8 for all
/// text (Arabic, CJK, emoji), <c>\"</c> and <c>\\</c>, <c>\n \r \t \b \f</c>, <c>\u00XX</c> for other control
/// characters, and <c>\u003c \u003e \u0026 \u2028 \u2029</c> for <c>&lt; &gt; &amp;</c> and the two JavaScript line
/// separators (Go's HTML-safe default). System.Text.Json's built-in encoders differ: the default one escapes all
/// non-ASCII and quotes as <c>\u0022</c>, the relaxed one escapes emoji and some ranges but not <c>&lt;</c>.
/// One instance serves every wire context and stream writer.
/// </summary>
public sealed class GoJsonEncoder : JavaScriptEncoder
{
    public static GoJsonEncoder Instance { get; } = new();

    // What the scans stop at; 0xE2 is the first byte of U+2028/U+2029 (E2 80 A8/A9) and is checked further.
    private static readonly SearchValues<byte> Utf8Stops = SearchValues.Create(Stops([(byte)'"', (byte)'\\', (byte)'<', (byte)'>', (byte)'&', 0xE2]));
    private static readonly SearchValues<char> Utf16Stops = SearchValues.Create(StopChars());

    private GoJsonEncoder()
    {
    }

    public override int MaxOutputCharactersPerInputCharacter => 6; // \uXXXX

    public override bool WillEncode(int unicodeScalar) =>
        unicodeScalar < 0x20 || unicodeScalar is '"' or '\\' or '<' or '>' or '&' or 0x2028 or 0x2029;

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        var destination = new Span<char>(buffer, bufferLength);
        ReadOnlySpan<char> escape = unicodeScalar switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\b' => "\\b",
            '\f' => "\\f",
            _ => default,
        };
        if (!escape.IsEmpty)
        {
            return Copy(escape, destination, out numberOfCharactersWritten);
        }

        if (!WillEncode(unicodeScalar))
        {
            // Not ours to escape (the base encoder only asks for what WillEncode names): write it as it is.
            return new Rune(unicodeScalar).TryEncodeToUtf16(destination, out numberOfCharactersWritten);
        }

        if (destination.Length < 6)
        {
            numberOfCharactersWritten = 0;
            return false;
        }

        const string Hex = "0123456789abcdef";
        destination[0] = '\\';
        destination[1] = 'u';
        destination[2] = Hex[(unicodeScalar >> 12) & 0xF];
        destination[3] = Hex[(unicodeScalar >> 8) & 0xF];
        destination[4] = Hex[(unicodeScalar >> 4) & 0xF];
        destination[5] = Hex[unicodeScalar & 0xF];
        numberOfCharactersWritten = 6;
        return true;
    }

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        var span = new ReadOnlySpan<char>(text, textLength);
        var stop = span.IndexOfAny(Utf16Stops);
        var end = stop < 0 ? span.Length : stop;

        // A lone surrogate cannot become UTF-8: hand it to the encoder (which writes U+FFFD, as Go does for bad bytes).
        var lone = FirstLoneSurrogate(span[..end]);
        return lone >= 0 ? lone : stop;
    }

    public override int FindFirstCharacterToEncodeUtf8(ReadOnlySpan<byte> utf8Text)
    {
        if (!Utf8.IsValid(utf8Text))
        {
            return base.FindFirstCharacterToEncodeUtf8(utf8Text); // the slow, exact path locates the bad bytes
        }

        var offset = 0;
        while (true)
        {
            var index = utf8Text[offset..].IndexOfAny(Utf8Stops);
            if (index < 0)
            {
                return -1;
            }

            index += offset;
            if (utf8Text[index] != 0xE2 || IsLineSeparator(utf8Text[index..]))
            {
                return index;
            }

            offset = index + 1;
        }
    }

    private static bool IsLineSeparator(ReadOnlySpan<byte> at) => at.Length >= 3 && at[1] == 0x80 && at[2] is 0xA8 or 0xA9;

    private static int FirstLoneSurrogate(ReadOnlySpan<char> text)
    {
        var i = text.IndexOfAnyInRange('\uD800', '\uDFFF');
        while (i >= 0 && i < text.Length)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                var next = text[(i + 2)..].IndexOfAnyInRange('\uD800', '\uDFFF');
                i = next < 0 ? -1 : i + 2 + next;
                continue;
            }

            return i;
        }

        return -1;
    }

    private static bool Copy(ReadOnlySpan<char> escape, Span<char> destination, out int written)
    {
        if (escape.TryCopyTo(destination))
        {
            written = escape.Length;
            return true;
        }

        written = 0;
        return false;
    }

    private static byte[] Stops(ReadOnlySpan<byte> extra)
    {
        var stops = new List<byte>();
        for (var b = 0; b < 0x20; b++)
        {
            stops.Add((byte)b);
        }

        stops.AddRange(extra.ToArray());
        return stops.ToArray();
    }

    private static string StopChars()
    {
        var stops = new StringBuilder();
        for (var c = 0; c < 0x20; c++)
        {
            stops.Append((char)c);
        }

        return stops.Append("\"\\<>&\u2028\u2029").ToString();
    }
}
