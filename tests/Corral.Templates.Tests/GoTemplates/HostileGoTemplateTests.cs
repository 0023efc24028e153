using System.Text;
using Corral.Templates.GoTemplates;
using Corral.Templates.Prompting;

namespace Corral.Templates.Tests.GoTemplates;

/// <summary>
/// A Go TEMPLATE is untrusted input (a Modelfile, a pulled layer). Fuzzing found that deep nesting overflowed the
/// parser's stack, which kills the server; it must be a parse error instead (fuzz/corpus/gotemplate/crash-*).
/// </summary>
public sealed class HostileGoTemplateTests
{
    private const int Deep = 50_000;

    [Fact]
    public void Deeply_nested_parentheses_are_a_parse_error()
    {
        var text = "{{" + new string('(', Deep) + "1" + new string(')', Deep) + "}}";
        var e = Assert.Throws<TemplateParseException>(() => GoTemplate.Parse(text));
        Assert.Contains("max expression depth exceeded", e.Message);
    }

    [Fact]
    public void Deeply_nested_control_structures_are_a_parse_error()
    {
        var text = Repeat("{{if 1}}", Deep) + "x" + Repeat("{{end}}", Deep);
        // Which guard trips first (the {{if}} list or its condition) depends on where the stack runs out.
        var e = Assert.Throws<TemplateParseException>(() => OllamaTemplate.Parse(text));
        Assert.Matches("nested too deeply|max expression depth exceeded", e.Message);
    }

    [Fact]
    public void Nesting_that_parses_renders_or_fails_as_a_template_error()
    {
        // Shallow enough to parse on any thread; rendering walks it with larger frames.
        var text = Repeat("{{with .}}", 2_000) + "{{.}}" + Repeat("{{end}}", 2_000);
        var e = Record.Exception(() => GoTemplate.Parse(text).Render("x"));
        Assert.True(e is null or TemplateExecutionException, e?.ToString());
    }

    [Theory]
    [InlineData("""{{ "\UD5555555" }}""")]
    [InlineData("""{{ define "\UFFFFFFFF" }}{{ end }}""")]
    [InlineData("""{{ "\U00110000" }}""")]
    public void A_code_point_escape_out_of_range_is_a_parse_error(string text)
    {
        // Fuzzing found \U escapes whose eight digits read as a negative int throwing ArgumentOutOfRangeException.
        Assert.Throws<TemplateParseException>(() => GoTemplate.Parse(text));
    }

    private static string Repeat(string s, int n) => new StringBuilder(s.Length * n).Insert(0, s, n).ToString();
}
