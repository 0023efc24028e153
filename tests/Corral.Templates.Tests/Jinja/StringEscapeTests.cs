using Corral.Templates.Jinja;

namespace Corral.Templates.Tests.Jinja;

/// <summary>
/// String-literal escapes in a chat template. Fuzzing found that a malformed <c>\x</c>/<c>\u</c>/<c>\U</c> escape
/// threw FormatException (or ArgumentOutOfRangeException for a code point past U+10FFFF) out of the parser
/// instead of a template syntax error (fuzz/corpus/jinja/crash-*).
/// </summary>
public sealed class StringEscapeTests
{
    [Theory]
    [InlineData("""{{ "\x4g" }}""")]
    [InlineData("""{{ "\u12 " }}""")]
    [InlineData("""{{ '\U0000004-' }}""")]
    [InlineData("""{{ "\U00110000" }}""")]
    [InlineData("""{{ "\UFFFFFFFF" }}""")]
    [InlineData("""{{ "\UD800D800" }}""")]
    public void A_malformed_escape_is_a_syntax_error(string source)
    {
        var e = Assert.Throws<JinjaException>(() => JinjaTemplate.Parse(source));
        Assert.StartsWith("template syntax error", e.Message);
    }

    [Theory]
    [InlineData("""{{ "\x41\u00e9\U0001F600" }}""", "Aé😀")]
    [InlineData("""{{ "\x4a" }}""", "J")]
    public void Valid_escapes_still_decode(string source, string expected) =>
        Assert.Equal(expected, JinjaTemplate.Parse(source).Render([]));
}
