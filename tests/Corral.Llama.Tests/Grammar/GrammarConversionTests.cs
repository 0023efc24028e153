using System.Text.Json;
using Corral.Llama.Grammar;

namespace Corral.Llama.Tests.Grammar;

/// <summary>Every generated grammar parses in llama.cpp; unsupported schemas fail loudly.</summary>
public sealed class GrammarConversionTests(VocabFixture fixture) : IClassFixture<VocabFixture>
{
    public static TheoryData<string> SchemaNames() => TestSchemas.Names();

    [Theory]
    [MemberData(nameof(SchemaNames))]
    public void Test_schema_grammars_parse_in_llama_cpp(string schemaName) =>
        AssertParses(JsonSchemaGrammar.Convert(TestSchemas.All[schemaName]));

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""true""")]
    [InlineData("""{"type":"object"}""")]
    [InlineData("""{"type":"array"}""")]
    [InlineData("""{"type":"string","maxLength":5000}""")]
    [InlineData("""{"type":"string","minLength":1500,"maxLength":2600}""")]
    [InlineData("""{"type":"array","items":{"type":"integer"},"minItems":1,"maxItems":1200}""")]
    [InlineData("""{"type":["string","null"],"minLength":2}""")]
    [InlineData("""{"type":"integer","minimum":-5}""")]
    [InlineData("""{"type":"integer","maximum":-5}""")]
    [InlineData("""{"type":"integer","minimum":7,"exclusiveMaximum":1000000}""")]
    [InlineData("""{"type":"integer","minimum":0,"maximum":0}""")]
    [InlineData("""{"type":"number","exclusiveMinimum":0}""")]
    [InlineData("""{"type":"number","maximum":0,"exclusiveMinimum":-3}""")]
    [InlineData("""{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"number"}},"additionalProperties":{"type":"integer"}}""")]
    [InlineData("""{"type":"object","properties":{"ab":{},"ac":{},"b":{}},"required":["b"],"additionalProperties":true}""")]
    [InlineData("""{"type":"object","required":["x"]}""")]
    [InlineData("""{"definitions":{"a":{"type":"array","items":{"$ref":"#/definitions/a"}}},"$ref":"#/definitions/a"}""")]
    [InlineData("""{"type":"object","properties":{"self":{"$ref":"#"}},"description":"root recursion"}""")]
    [InlineData("""{"$defs":{"n":{"type":"integer"}},"$ref":"#/$defs/n","minimum":3,"maximum":5}""")]
    [InlineData("""{"anyOf":[{"type":"string"},{"type":"integer"}],"default":null,"title":"pydantic optional"}""")]
    [InlineData("""{"type":"string","format":"uri"}""")]
    [InlineData("""{"type":"string","pattern":"^(?:[a-z]+|\\d{2,}?)[-_.]?(?<tail>x|y)*$"}""")]
    [InlineData("""{"type":"string","pattern":"\\u00e9\\x41\\t\\/\\.[\\]\\-^]"}""")]
    [InlineData("""{"type":"string","pattern":"^ünïcødé…😀$"}""")]
    [InlineData("""{"enum":["a\nb","\u00e9",1.5,true,[1,{"x":null}]]}""")]
    [InlineData("""{"type":"array","items":[{"type":"string"},{"type":"integer"}]}""")]
    public void Schema_forms_convert_to_grammars_llama_cpp_accepts(string schema) =>
        AssertParses(JsonSchemaGrammar.Convert(schema));

    [Fact]
    public void Any_json_grammar_parses_and_starts_with_an_object() =>
        Assert.StartsWith("root ::= object\n", AssertParses(JsonGrammar.ForAnyJson()));

    [Theory]
    [InlineData("""{"type":"object","patternProperties":{"^x":{}}}""", "patternProperties")]
    [InlineData("""{"not":{"type":"string"}}""", "not")]
    [InlineData("""{"if":{},"then":{},"else":{}}""", "if")]
    [InlineData("""{"type":"object","dependentSchemas":{}}""", "dependentSchemas")]
    [InlineData("""{"type":"array","uniqueItems":true}""", "uniqueItems")]
    [InlineData("""{"type":"number","multipleOf":2}""", "multipleOf")]
    [InlineData("""{"properties":{"a":{"type":"string","contains":{}}}}""", "contains")]
    [InlineData("""{"type":"string","pattern":"^(?=a)b$"}""", "pattern")]
    [InlineData("""{"type":"string","pattern":"^(a)\\1$"}""", "pattern")]
    [InlineData("""{"type":"string","pattern":"\\bword"}""", "pattern")]
    [InlineData("""{"type":"string","pattern":"a{1,5000}"}""", "pattern")]
    [InlineData("""{"type":"string","pattern":"^a$","maxLength":3}""", "maxLength")]
    [InlineData("""{"$ref":"https://example.com/schema.json"}""", "$ref")]
    [InlineData("""{"$ref":"#/$defs/missing"}""", "$ref")]
    [InlineData("""{"type":"integer","minimum":5,"maximum":4}""", "minimum")]
    [InlineData("""{"type":"number","minimum":0.5}""", "minimum")]
    [InlineData("""{"allOf":[{"type":"string"},{"type":"integer"}]}""", "allOf")]
    [InlineData("""{"allOf":[{"pattern":"a"},{"pattern":"b"}]}""", "pattern")]
    [InlineData("""{"type":"strin"}""", "type")]
    [InlineData("""false""", "false")]
    public void Unsupported_schemas_throw_naming_the_keyword(string schema, string keyword)
    {
        var ex = Assert.Throws<JsonSchemaNotSupportedException>(() => JsonSchemaGrammar.Convert(schema));
        Assert.Equal(keyword, ex.Keyword);
        Assert.Contains(keyword == "false" ? "false" : keyword, ex.Message);
    }

    [Theory]
    [InlineData("<tool_call>", "</tool_call>", false, true)]
    [InlineData("<tool_call>", "</tool_call>", false, false)]
    [InlineData("[TOOL_CALLS]", null, false, true)]
    [InlineData("<|python_tag|>", null, true, false)]
    [InlineData(null, null, false, true)]
    public void Tool_call_grammars_parse_in_llama_cpp_and_frame_the_calls(string? open, string? close, bool openOptional, bool several)
    {
        using var schema = JsonDocument.Parse("""
            {"anyOf":[
              {"type":"object","properties":{"name":{"const":"get_weather"},"arguments":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}},"required":["name","arguments"],"additionalProperties":false},
              {"type":"object","properties":{"name":{"const":"now"},"arguments":{"type":"object"}},"required":["name","arguments"],"additionalProperties":false}]}
            """);
        var gbnf = AssertParses(ToolCallGrammar.Convert(schema.RootElement, open, close, openOptional, several));
        var root = gbnf.Split('\n').Single(l => l.StartsWith("root ::= ", StringComparison.Ordinal));
        if (open is not null)
        {
            Assert.Contains("\"" + open.Replace("|", "|", StringComparison.Ordinal), root);
            Assert.Equal(openOptional, root.Contains("\"" + open + "\"?", StringComparison.Ordinal));
        }

        Assert.Equal(close is not null, close is not null && root.Contains("\"" + close + "\"", StringComparison.Ordinal));
        Assert.Equal(several, root.Contains(")*", StringComparison.Ordinal));
    }

    [Fact]
    public void Properties_keep_schema_order_with_required_ones_first()
    {
        var gbnf = JsonSchemaGrammar.Convert("""
            {"type":"object","properties":{"b":{"type":"integer"},"a":{"type":"integer"},"c":{"type":"integer"}},"required":["c","a"]}
            """);
        var root = gbnf.Split('\n').First(l => l.StartsWith("root ::=", StringComparison.Ordinal));
        // a before c (schema order among required), then optional b.
        OrderAssert.InOrder(root, "root-a-kv", "root-c-kv", "root-b-kv");
        AssertParses(gbnf);
    }

    [Fact]
    public void Integer_ranges_match_exactly_the_values_in_range()
    {
        // The range rule uses only quoted digits, digit classes, {m,n}, groups and '|', so it reads as a regex.
        foreach (var (min, max) in new (long?, long?)[] { (0, 0), (3, 7), (-12, 45), (-999, -100), (17, 1234), (100, 100000), (5, null), (null, -3), (-41, null), (null, 250) })
        {
            var bounds = (min is { } lo ? $",\"minimum\":{lo}" : "") + (max is { } hi ? $",\"maximum\":{hi}" : "");
            var gbnf = JsonSchemaGrammar.Convert("{\"type\":\"integer\"" + bounds + "}");
            var expression = gbnf.Split('\n').Single(l => l.StartsWith("root ::= ", StringComparison.Ordinal))["root ::= ".Length..];
            var regex = new System.Text.RegularExpressions.Regex("^(?:" + GbnfToRegex(expression) + ")$");
            for (var value = -2000L; value <= 200000; value += value is > -1500 and < 1500 ? 1 : 97)
            {
                var inRange = (min is null || value >= min) && (max is null || value <= max);
                Assert.True(inRange == regex.IsMatch(value.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    $"[{min}, {max}] value {value}: {expression}");
            }

            Assert.DoesNotMatch(regex, "-0");
            Assert.DoesNotMatch(regex, "007");
        }
    }

    // The integer-range grammar only uses quoted digit strings, digit classes, {m,n}, groups and '|'.
    private static string GbnfToRegex(string gbnf) =>
        gbnf.Replace("\"", string.Empty, StringComparison.Ordinal).Replace(" ", string.Empty, StringComparison.Ordinal).Replace("(", "(?:", StringComparison.Ordinal);

    private string AssertParses(string gbnf)
    {
        using var chain = new LlamaSamplerChain();
        var ex = Record.Exception(() => chain.AddGrammar(fixture.Vocab, gbnf));
        Assert.True(ex is null, $"{ex?.Message}\n{gbnf}");
        return gbnf;
    }
}
