using System.Text.Json;
using Corral.Llama.Grammar;

namespace Corral.Llama.Tests.Grammar;

/// <summary>
/// Schemas of the wrong shape that fuzzing found escaping the converter as IndexOutOfRange or
/// InvalidOperationException (a 500) instead of <see cref="JsonSchemaNotSupportedException"/> (a 400 naming the
/// keyword). The inputs are in fuzz/corpus/jsonschema/crash-*.
/// </summary>
public sealed class MalformedSchemaTests
{
    [Theory]
    [InlineData("""{"type":"string","format":42}""", "format")]
    [InlineData("""{"anyOf":[{"type":"string","format":{}}]}""", "format")]
    [InlineData("""{"type":"string","pattern":"[a\\"}""", "pattern")]
    [InlineData("""{"type":"string","pattern":"^[a-z\\"}""", "pattern")]
    [InlineData("""{"allOf":[{"required":["a"]},{"required":[1]}]}""", "required")]
    [InlineData("""{"allOf":[{"required":["a"]},{"required":"a"}]}""", "required")]
    [InlineData("""{"allOf":[{"properties":{}},{"properties":[]}]}""", "properties")]
    [InlineData("""{"allOf":[{"type":"object"},{"type":7}]}""", "type")]
    [InlineData("""{"allOf":[{"type":"object"},{"type":["object",null]}]}""", "type")]
    public void A_malformed_schema_is_refused_naming_its_keyword(string schema, string keyword)
    {
        var e = Assert.Throws<JsonSchemaNotSupportedException>(() => JsonSchemaGrammar.Convert(schema));
        Assert.Equal(keyword, e.Keyword);
    }

    [Fact]
    public void Text_that_is_not_json_is_a_json_exception() =>
        Assert.ThrowsAny<JsonException>(() => JsonSchemaGrammar.Convert("{\"type\":"));
}
