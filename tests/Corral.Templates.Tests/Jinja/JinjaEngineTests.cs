using System.Text.Json;
using Corral.Templates.Jinja;

namespace Corral.Templates.Tests.Jinja;

public sealed class JinjaEngineTests
{
    private static string Render(string template, object? vars = null)
    {
        var json = vars is null ? "{}" : JsonSerializer.Serialize(vars);
        using var doc = JsonDocument.Parse(json);
        return JinjaTemplate.Parse(template).Render(
            doc.RootElement.EnumerateObject().Select(p => new KeyValuePair<string, object?>(p.Name, p.Value.Clone())).ToList(),
            FixedTime.Instance);
    }

    [Theory]
    [InlineData("{{ x | tojson(indent=2) }}", "{\n  \"a\": [\n    1,\n    2.5\n  ],\n  \"b\": {}\n}")]
    [InlineData("{{ x | tojson }}", "{\"a\": [1, 2.5], \"b\": {}}")]
    [InlineData("{{ x | tojson(separators=(',', ':')) }}", "{\"a\":[1,2.5],\"b\":{}}")]
    [InlineData("{{ x }}", "{'a': [1, 2.5], 'b': {}}")]
    [InlineData("{{ x.a[1:] }}|{{ x.a[::-1] }}|{{ 'abc'[::-1] }}|{{ 'abcdef'[1:5:2] }}", "[2.5]|[2.5, 1]|cba|bd")]
    public void Values(string template, string expected) =>
        Assert.Equal(expected, Render(template, new { x = new { a = new object[] { 1, 2.5 }, b = new { } } }));

    [Theory]
    [InlineData("{{ 1e20 }} {{ 1.5e-7 }} {{ 0.0001 }} {{ 123456789012345678.0 }} {{ 2.0 }} {{ 1/3 }} {{ 7 // 2 }} {{ -7 // 2 }} {{ -7 % 3 }}",
        "1e+20 1.5e-07 0.0001 1.2345678901234568e+17 2.0 0.3333333333333333 3 -4 2")]
    [InlineData("{{ 'a' ~ 1 ~ none ~ true }}", "a1NoneTrue")]
    [InlineData("{{ [1, 'a', none, (1, 2), (1,)] }}", "[1, 'a', None, (1, 2), (1,)]")]
    [InlineData("{{ \"it's\" }}{{ [\"it's\"] }}", "it's[\"it's\"]")]
    [InlineData("{% for k, v in {'b': 1, 'a': 2}.items() %}{{ k }}={{ v }}{{ ',' if not loop.last }}{% endfor %}", "b=1,a=2")]
    [InlineData("{% for i in range(5) if i is odd %}{{ loop.index }}/{{ loop.length }}:{{ i }} {% else %}none{% endfor %}", "1/2:1 2/2:3 ")]
    [InlineData("{% for i in [] %}x{% else %}empty{% endfor %}", "empty")]
    [InlineData("{% for i in range(10) %}{% if i == 3 %}{% break %}{% endif %}{% if i is even %}{% continue %}{% endif %}{{ i }}{% endfor %}", "1")]
    [InlineData("{% set ns = namespace(n=0) %}{% for i in range(3) %}{% set ns.n = ns.n + i %}{% set local = i %}{% endfor %}{{ ns.n }}{{ local is defined }}", "3False")]
    [InlineData("{% macro m(a, b='d') %}[{{ a }}{{ b }}]{% endmacro %}{{ m(1) }}{{ m(1, b=2) }}{{ m('x', 'y') }}", "[1d][12][xy]")]
    [InlineData("{% set s %}  block {{ 1 }} {% endset %}[{{ s | trim }}]", "[block 1]")]
    [InlineData("{% raw %}{{ not rendered }}{% endraw %}", "{{ not rendered }}")]
    [InlineData("{{ ' a b '.strip() }}|{{ 'a,b'.split(',') }}|{{ 'x y'.split() }}|{{ 'Ab'.upper() }}{{ 'Ab'.lower() }}|{{ 'hello world'.title() }}", "a b|['a', 'b']|['x', 'y']|ABab|Hello World")]
    [InlineData("{{ 'abc'.startswith('a') }}{{ 'abc'.endswith(('x', 'c')) }}{{ 'aXbX'.replace('X', '-') }}{{ 'xxa'.lstrip('x') }}", "TrueTruea-b-a")]
    [InlineData("{{ {'a': 1}.get('a') }}{{ {'a': 1}.get('b', 2) }}{{ {'a': 1}.get('b') }}{{ {'a': 1}.keys() | list }}", "12None['a']")]
    [InlineData("{{ [3, 1, 2] | sort | join(',') }} {{ ['b', 'A'] | sort | first }} {{ [1, 1, 2] | unique | list }} {{ [1,2,3] | reverse | list }}", "1,2,3 A [1, 2] [3, 2, 1]")]
    [InlineData("{{ 'x' if false }}|{{ 'a' if true else 'b' }}|{{ undefined_thing }}|{{ undefined_thing | default('dflt') }}|{{ '' | default('e', true) }}", "|a||dflt|e")]
    [InlineData("{{ 3 in [1, 3] }}{{ 'b' in 'abc' }}{{ 'k' in {'k': 1} }}{{ 4 not in [4] }}", "TrueTrueTrueFalse")]
    [InlineData("{{ none is none }}{{ 1 is number }}{{ 1 is integer }}{{ 1.0 is integer }}{{ 'a' is string }}{{ {} is mapping }}{{ [] is iterable }}{{ x is undefined }}{{ true is boolean }}{{ 2 is divisibleby 2 }}", "TrueTrueTrueFalseTrueTrueTrueTrueTrueTrue")]
    [InlineData("{{ '%s-%d' % ('a', 3) }}|{{ '{}+{name}'.format(1, name='n') }}|{{ 'ab' * 2 }}|{{ [1] + [2] }}|{{ 2 ** 10 }}", "a-3|1+n|abab|[1, 2]|1024")]
    [InlineData("{{ 'a\nb' | indent(2) }}|{{ 'a\n\nb' | indent(2, first=true) }}", "a\n  b|  a\n\n  b")]
    [InlineData("{{ '3' | int + 1 }} {{ 'x' | int }} {{ '2.5' | float }} {{ 2.7 | int }} {{ -3 | abs }} {{ 5 | string ~ 'x' }}", "4 0 2.5 2 3 5x")]
    [InlineData("{{ strftime_now('%d %b %Y') }} {{ strftime_now('%Y-%m-%d %H:%M:%S %A %B') }}", "15 Jan 2025 2025-01-15 09:05:07 Wednesday January")]
    [InlineData("{{ dict(a=1, b='x') | tojson }} {{ dict(a=1) | items | list }}", "{\"a\": 1, \"b\": \"x\"} [('a', 1)]")]
    [InlineData("{{ 'héllo \"q\" \\n' | tojson }}", "\"héllo \\\"q\\\" \\n\"")]
    public void Expressions(string template, string expected) => Assert.Equal(expected, Render(template));

    [Fact]
    public void FiltersOverSequencesOfMappings()
    {
        var messages = new object[]
        {
            new { role = "system", content = "S" },
            new { role = "user", content = "U1" },
            new { role = "assistant", content = "A" },
            new { role = "user", content = "U2" },
        };
        Assert.Equal(
            "U1,U2|S|4|system,user,assistant,user|2",
            Render(
                "{{ messages | selectattr('role', 'equalto', 'user') | map(attribute='content') | join(',') }}|"
                + "{{ (messages | rejectattr('role', 'ne', 'system') | first).content }}|{{ messages | length }}|"
                + "{{ messages | map(attribute='role') | join(',') }}|{{ messages | selectattr('role', '==', 'user') | list | count }}",
                new { messages }));
    }

    [Fact]
    public void WhitespaceControlMatchesHuggingFaceSettings()
    {
        // trim_blocks drops the newline after a block tag; lstrip_blocks drops indentation before it;
        // '-' strips all whitespace on its side; the template's final newline is dropped (expected values from Jinja2).
        const string template = "<a>\n  {% if true %}\n    x\n  {% endif %}\n  {{- ' y ' -}}  \n  {%+ if true %}z{% endif +%}\nw\n";
        Assert.Equal("<a>\n    x\n y z\nw", Render(template));
        Assert.Equal("a b\nc\nr {{ }}1", Render("a {# c #}\n  {#- c -#}  b\n  {# x #}\nc\n{% raw -%}  r {{ }}  {%- endraw %}\n{{ 1 }}"));
    }

    [Fact]
    public void RaiseExceptionIsTyped()
    {
        var e = Assert.Throws<JinjaRaiseException>(() => Render("{{ raise_exception('roles must alternate') }}"));
        Assert.Equal("roles must alternate", e.Message);
    }

    [Theory]
    [InlineData("{{ missing.attr }}")]
    [InlineData("{% if x %}")]
    [InlineData("{{ 1 + }}")]
    [InlineData("{{ 'a' + 1 }}")]
    [InlineData("{% for %}{% endfor %}")]
    [InlineData("{{ x | nosuchfilter }}")]
    public void ErrorsAreJinjaExceptions(string template) => Assert.ThrowsAny<JinjaException>(() => Render(template));

    [Fact]
    public void AttributeOfMissingKeyIsUndefinedNotError()
    {
        Assert.Equal("|True|False", Render("{{ m.nothing }}|{{ m.nothing is undefined }}|{{ m.content is defined }}", new { m = new { role = "user" } }));
    }
}

public sealed class JinjaChatTemplateTests
{
    [Fact]
    public void RendersRequestJsonThroughTheChatTemplate()
    {
        using var request = System.Text.Json.JsonDocument.Parse("""{"messages":[{"role":"user","content":"Hi"}],"x":{"n":2}}""");
        const string template = "{{ bos_token }}{% for m in messages %}<{{ m.role }}>{{ m.content }}{% endfor %}"
            + "{% if add_generation_prompt %}<assistant>{% endif %}{{ tools is none }}{{ enable_thinking is defined }}{{ x.n }}";
        var prompt = JinjaChatTemplate.Render(template, new JinjaChatInput
        {
            Messages = request.RootElement.GetProperty("messages"),
            BosToken = "<s>",
            Extra = new Dictionary<string, object?> { ["x"] = request.RootElement.GetProperty("x") },
        });
        Assert.Equal("<s><user>Hi<assistant>TrueFalse2", prompt);
        Assert.Same(JinjaChatTemplate.GetOrParse(template), JinjaChatTemplate.GetOrParse(template));
    }
}
