using Corral.Templates.GoTemplates;

namespace Corral.Templates.Tests.GoTemplates;

/// <summary>Constructs newer than the Go 1.19 oracle, errors with positions, and the cache.</summary>
public sealed class EngineTests
{
    private static string Render(string text, TemplateValue data = default) => GoTemplate.Parse(text).Render(data);

    [Fact]
    public void RangeOverIntCountsFromZero() => Assert.Equal("0,1,2,", Render("{{ range 3 }}{{ . }},{{ end }}"));

    [Fact]
    public void RangeOverIntBindsOneVariable() => Assert.Equal("012", Render("{{ range $i := 3 }}{{ $i }}{{ end }}"));

    [Fact]
    public void RangeOverZeroRunsElse() => Assert.Equal("none", Render("{{ range 0 }}x{{ else }}none{{ end }}"));

    [Fact]
    public void ElseWithChains()
    {
        var map = new TemplateMap { ["b"] = "B" };
        Assert.Equal("B", Render("{{ with .a }}A{{ else with .b }}{{ . }}{{ else }}none{{ end }}", TemplateValue.FromMap(map)));
        Assert.Equal("none", Render("{{ with .a }}A{{ else with .c }}{{ . }}{{ else }}none{{ end }}", TemplateValue.FromMap(map)));
    }

    [Fact]
    public void VariablesDeclaredInsideIfEndWithIt()
    {
        var e = Assert.Throws<TemplateParseException>(() => GoTemplate.Parse("{{ if true }}{{ $x := 1 }}{{ end }}{{ $x }}"));
        Assert.Equal("undefined variable \"$x\"", e.Detail);
    }

    [Fact]
    public void ParseErrorsCarryLineAndColumn()
    {
        var e = Assert.Throws<TemplateParseException>(() => GoTemplate.Parse("line one\n  {{ if .X }}\n    {{ bogus }}\n{{ end }}", "model"));
        Assert.Equal(3, e.Line);
        Assert.Equal(8, e.Column);
        Assert.Equal("model", e.TemplateName);
        Assert.Equal("template: model:3: function \"bogus\" not defined", e.Message);
    }

    [Fact]
    public void UnclosedBlockIsAnError()
    {
        var e = Assert.Throws<TemplateParseException>(() => GoTemplate.Parse("{{ range .X }}\nbody"));
        Assert.Equal("unexpected EOF", e.Detail);
    }

    [Fact]
    public void ExecutionErrorNamesTheNode()
    {
        var data = TemplateValue.FromMap(new TemplateMap { ["l"] = TemplateValue.FromList(TemplateList.Of("a")) });
        var e = Assert.Throws<TemplateExecutionException>(() => Render("ok\n  {{ index .l 3 }}", data));
        Assert.Equal("index .l 3", e.Node);
        Assert.Equal(2, e.Line);
        Assert.Equal(5, e.Column);
        Assert.Equal("error calling index: index out of range: 3", e.Detail);
    }

    [Fact]
    public void BreakOutsideRangeIsAParseError() =>
        Assert.Throws<TemplateParseException>(() => GoTemplate.Parse("{{ if true }}{{ continue }}{{ end }}"));

    [Fact]
    public void CustomFunctionsAreCalledAndTheirErrorsWrapped()
    {
        var functions = new Dictionary<string, TemplateFunction>
        {
            ["upper"] = args => args[0].AsString.ToUpperInvariant(),
            ["fail"] = _ => throw new TemplateFunctionException("boom"),
        };
        Assert.Equal("HI", GoTemplate.Parse("{{ \"hi\" | upper }}", "", functions).Render(default));
        var e = Assert.Throws<TemplateExecutionException>(() => GoTemplate.Parse("{{ fail }}", "", functions).Render(default));
        Assert.Equal("error calling fail: boom", e.Detail);
    }

    [Fact]
    public void TemplateCallsGetTheirOwnVariableScope()
    {
        var text = "{{ define \"t\" }}{{ $ }}-{{ . }}{{ end }}{{ $v := \"outer\" }}{{ template \"t\" \"inner\" }}{{ $v }}";
        Assert.Equal("inner-innerouter", Render(text));
    }

    [Fact]
    public void IdentifiersAreCollectedLowerCased()
    {
        var template = GoTemplate.Parse("{{ range $m := .Messages }}{{ $m.Role }}{{ end }}{{ define \"x\" }}{{ .Tools }}{{ end }}");
        Assert.Contains("messages", template.Identifiers);
        Assert.Contains("role", template.Identifiers);
        Assert.Contains("tools", template.Identifiers);
        Assert.DoesNotContain("response", template.Identifiers);
    }

    [Fact]
    public void CacheReturnsTheSameParsedTemplateAndStaysBounded()
    {
        var cache = new GoTemplateCache(capacity: 4);
        var first = cache.GetOrParse("{{ .A }}");
        Assert.Same(first, cache.GetOrParse("{{ .A }}"));
        for (var i = 0; i < 20; i++)
        {
            cache.GetOrParse($"{{{{ .A }}}}{i}");
        }
        Assert.True(cache.Count <= 4);
    }

    [Fact]
    public void CacheIsSafeUnderConcurrency()
    {
        var cache = new GoTemplateCache(capacity: 8);
        Parallel.For(0, 200, i => Assert.Equal($"{i % 10}", cache.GetOrParse($"{i % 10}").Render(default)));
    }
}
