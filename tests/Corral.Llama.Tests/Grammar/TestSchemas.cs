namespace Corral.Llama.Tests.Grammar;

/// <summary>Schemas the sampling tests generate documents for; strings and arrays are bounded so documents close.</summary>
internal static class TestSchemas
{
    public static readonly IReadOnlyDictionary<string, string> All = new Dictionary<string, string>
    {
        ["person"] = """
            {"type":"object","title":"Person","properties":{
              "name":{"type":"string","maxLength":8,"description":"ignored"},
              "age":{"type":"integer","minimum":0,"maximum":120},
              "email":{"type":"string","format":"email"},
              "tags":{"type":"array","items":{"type":"string","minLength":1,"maxLength":4},"maxItems":3}},
             "required":["name","age"]}
            """,
        ["nested"] = """
            {"type":"object","properties":{
              "point":{"type":"object","properties":{
                "x":{"type":"number","minimum":-10,"maximum":10},
                "y":{"type":"integer","exclusiveMinimum":-5,"exclusiveMaximum":5},
                "z":{"type":"number","exclusiveMinimum":0,"maximum":1}},
               "required":["x","y","z"]},
              "ok":{"type":"boolean"},
              "none":{"type":"null"}},
             "required":["point","ok"],"additionalProperties":false}
            """,
        ["bounded-array"] = """
            {"type":"array","items":{"type":"integer","minimum":100,"maximum":12345},"minItems":2,"maxItems":4}
            """,
        ["enum-const"] = """
            {"type":"object","properties":{
              "color":{"enum":["red","green","blue",null,7,{"rgb":[1,2,3]}]},
              "kind":{"const":"fixed \"quoted\""},
              "level":{"type":"integer","minimum":-1234,"maximum":-17}},
             "required":["color","kind","level"]}
            """,
        ["any-of"] = """
            {"anyOf":[
              {"type":"string","maxLength":5},
              {"type":"integer","minimum":-3,"maximum":3},
              {"type":"object","properties":{"a":{"type":"boolean"}},"required":["a"]},
              {"type":["null","boolean"]}]}
            """,
        ["one-of-tagged"] = """
            {"oneOf":[
              {"type":"object","properties":{"kind":{"const":"circle"},"r":{"type":"integer","minimum":1,"maximum":50}},"required":["kind","r"]},
              {"type":"object","properties":{"kind":{"const":"square"},"side":{"type":"number","minimum":0,"maximum":9}},"required":["kind","side"]}]}
            """,
        ["tree"] = """
            {"$defs":{"node":{"type":"object","properties":{
               "v":{"type":"integer","minimum":0,"maximum":9},
               "kids":{"type":"array","items":{"$ref":"#/$defs/node"},"maxItems":2}},
              "required":["v"]}},
             "$ref":"#/$defs/node"}
            """,
        ["formats"] = """
            {"type":"object","properties":{
              "d":{"type":"string","format":"date"},
              "t":{"type":"string","format":"time"},
              "dt":{"type":"string","format":"date-time"},
              "u":{"type":"string","format":"uuid"}},
             "required":["d","t","dt","u"]}
            """,
        ["patterns"] = """
            {"type":"object","properties":{
              "code":{"type":"string","pattern":"^[A-Z]{2}-\\d{3,4}$"},
              "word":{"type":"string","pattern":"^(foo|ba[rz]){1,3}x?$"},
              "phone":{"type":"string","pattern":"^\\(\\d{3}\\) \\d{3}-\\d{4}$"},
              "quote":{"type":"string","pattern":"^a\"b\\\\c[\"'\\n]$"},
              "any":{"type":"string","pattern":"^.{2,4}$"},
              "notdigits":{"type":"string","pattern":"^[^0-9\\s]{1,3}\\w?$"}},
             "required":["code","word","phone","quote","any","notdigits"]}
            """,
        ["all-of"] = """
            {"allOf":[
              {"type":"object","properties":{"a":{"type":"integer","minimum":1,"maximum":3}},"required":["a"]},
              {"properties":{"b":{"type":"string","maxLength":3}},"required":["b"]},
              {"properties":{"a":{"maximum":2}}}]}
            """,
        ["tuple"] = """
            {"type":"array","prefixItems":[{"type":"string","maxLength":3},{"type":"boolean"}],
             "items":{"type":"integer","minimum":0,"maximum":9},"maxItems":4}
            """,
    };

    /// <summary>
    /// Schemas whose strings may hold any character, so byte-level sampling reaches multi-byte UTF-8
    /// (and, unguarded, broken UTF-8); includes non-ASCII enum and const values.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> FreeStrings = new Dictionary<string, string>
    {
        ["free-object"] = """
            {"type":"object","properties":{
              "s":{"type":"string","maxLength":6},
              "list":{"type":"array","items":{"type":"string","maxLength":3},"maxItems":3}},
             "required":["s","list"]}
            """,
        ["free-top-level"] = """
            {"type":"string","minLength":1,"maxLength":8}
            """,
        ["non-ascii-enum"] = """
            {"type":"object","properties":{
              "e":{"enum":["é","日本","😀","a"]},
              "c":{"const":"日本😀é"},
              "s":{"type":"string","minLength":1,"maxLength":4}},
             "required":["e","c","s"]}
            """,
        ["free-any-of"] = """
            {"anyOf":[
              {"type":"string","minLength":2,"maxLength":5},
              {"enum":["ü","€","𝄞"]},
              {"type":"array","items":{"type":"string","maxLength":2},"minItems":1,"maxItems":2}]}
            """,
    };

    public static TheoryData<string> Names() => NamesOf(All);

    public static TheoryData<string> FreeStringNames() => NamesOf(FreeStrings);

    private static TheoryData<string> NamesOf(IReadOnlyDictionary<string, string> schemas)
    {
        var data = new TheoryData<string>();
        foreach (var name in schemas.Keys)
        {
            data.Add(name);
        }

        return data;
    }
}
