using System.Globalization;
using System.Text;

namespace Corral.Llama.Grammar;

/// <summary>Escaping helpers for writing GBNF text (llama.cpp's grammar syntax).</summary>
internal static class Gbnf
{
    /// <summary>A quoted GBNF literal matching <paramref name="text"/> exactly.</summary>
    public static string Literal(string text)
    {
        var sb = new StringBuilder(text.Length + 2).Append('"');
        foreach (var rune in text.EnumerateRunes())
        {
            AppendLiteralChar(sb, rune.Value);
        }

        return sb.Append('"').ToString();
    }

    /// <summary>A character class <c>[...]</c> (or <c>[^...]</c>) from inclusive code point ranges.</summary>
    public static string CharClass(IReadOnlyList<(int From, int To)> ranges, bool negated = false)
    {
        var sb = new StringBuilder("[");
        if (negated)
        {
            sb.Append('^');
        }

        foreach (var (from, to) in ranges)
        {
            AppendClassChar(sb, from);
            if (to != from)
            {
                sb.Append('-');
                AppendClassChar(sb, to);
            }
        }

        return sb.Append(']').ToString();
    }

    /// <summary>Rule names may only hold letters, digits and dashes.</summary>
    public static string RuleName(string hint)
    {
        var sb = new StringBuilder(hint.Length);
        foreach (var c in hint)
        {
            var ok = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9');
            if (ok)
            {
                sb.Append(c);
            }
            else if (sb.Length > 0 && sb[^1] != '-')
            {
                sb.Append('-');
            }
        }

        var name = sb.ToString().Trim('-');
        return name.Length == 0 ? "r" : name;
    }

    private static void AppendLiteralChar(StringBuilder sb, int c)
    {
        switch (c)
        {
            case '"': sb.Append("\\\""); break;
            case '\\': sb.Append("\\\\"); break;
            case '\n': sb.Append("\\n"); break;
            case '\r': sb.Append("\\r"); break;
            case '\t': sb.Append("\\t"); break;
            default:
                if (c < 0x20 || c == 0x7F)
                {
                    AppendHex(sb, c);
                }
                else
                {
                    sb.Append(char.ConvertFromUtf32(c));
                }

                break;
        }
    }

    // Inside a class only letters and digits go in raw: everything else is hex-escaped so that
    // ']', '-', '^' and '\' can never change the class's meaning.
    private static void AppendClassChar(StringBuilder sb, int c)
    {
        if (c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9'))
        {
            sb.Append((char)c);
        }
        else
        {
            AppendHex(sb, c);
        }
    }

    private static void AppendHex(StringBuilder sb, int c)
    {
        if (c <= 0xFF)
        {
            sb.Append("\\x").Append(c.ToString("X2", CultureInfo.InvariantCulture));
        }
        else if (c <= 0xFFFF)
        {
            sb.Append("\\u").Append(c.ToString("X4", CultureInfo.InvariantCulture));
        }
        else
        {
            sb.Append("\\U").Append(c.ToString("X8", CultureInfo.InvariantCulture));
        }
    }
}
