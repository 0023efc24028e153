using System.Net;
using System.Text;
using System.Text.Json;

namespace Corral.Server.Tests.Inference;

/// <summary>
/// format "json" and JSON Schema through the API: the random-weights model can only produce valid
/// documents if the grammar works. Strings are free: the byte-level test vocabulary emits any byte, and
/// the runner's grammar sampler must keep the output strict UTF-8 (no U+FFFD from broken bytes).
/// </summary>
public sealed class StructuredOutputTests(InferenceServerFixture fx) : IClassFixture<InferenceServerFixture>
{
    private static readonly string[] Tags = ["a", "é", "日本", "😀"];

    private const string Schema = """
        {"type":"object","properties":{
          "name":{"type":"string","maxLength":8},
          "age":{"type":"integer","minimum":0,"maximum":120},
          "tags":{"type":"array","items":{"enum":["a","é","日本","😀"]},"maxItems":3},
          "kind":{"anyOf":[{"const":"cat"},{"type":"null"}]}},
         "required":["name","age","tags","kind"],"additionalProperties":false}
        """;

    [Fact]
    public async Task Schema_constrained_generation_always_validates()
    {
        for (var seed = 0; seed < 12; seed++)
        {
            var body = $$$"""{"model":"random","prompt":"person","stream":false,"format":{{{Schema}}},"options":{"seed":{{{seed}}},"temperature":1.0,"num_predict":300}}""";
            using var response = await fx.Http.PostAsync("/api/generate", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var text = doc.RootElement.GetProperty("response").GetString()!;
            if (doc.RootElement.GetProperty("done_reason").GetString() == "length")
            {
                continue; // cut off by num_predict: nothing to validate
            }

            Assert.DoesNotContain('\uFFFD', text);
            using var output = JsonDocument.Parse(text);
            var root = output.RootElement;
            Assert.True(root.GetProperty("name").GetString()!.EnumerateRunes().Count() <= 8, text);
            Assert.DoesNotContain('\uFFFD', root.GetProperty("name").GetString()!);
            Assert.InRange(root.GetProperty("age").GetInt32(), 0, 120);
            Assert.All(root.GetProperty("tags").EnumerateArray(), t => Assert.Contains(t.GetString(), Tags));
            Assert.True(root.GetProperty("tags").GetArrayLength() <= 3);
            var kind = root.GetProperty("kind");
            Assert.True(kind.ValueKind == JsonValueKind.Null || kind.GetString() == "cat", text);
            Assert.Equal(4, root.EnumerateObject().Count());
        }
    }

    [Fact]
    public async Task Format_json_yields_a_json_object()
    {
        var body = """{"model":"random","messages":[{"role":"user","content":"hi"}],"stream":false,"format":"json","options":{"seed":3,"temperature":0.7,"num_predict":200}}""";
        using var response = await fx.Http.PostAsync("/api/chat", new StringContent(body, Encoding.UTF8, "application/json"));
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var content = doc.RootElement.GetProperty("message").GetProperty("content").GetString()!;
        if (doc.RootElement.GetProperty("done_reason").GetString() == "stop")
        {
            Assert.DoesNotContain('\uFFFD', content);
            using var output = JsonDocument.Parse(content);
            Assert.Equal(JsonValueKind.Object, output.RootElement.ValueKind);
        }
        else
        {
            Assert.StartsWith("{", content.TrimStart());
        }
    }

    [Theory]
    [InlineData("""{"type":"object","patternProperties":{"^x":{"type":"string"}}}""", "patternProperties")]
    [InlineData("""{"type":"string","pattern":"(?=x)"}""", "pattern")]
    [InlineData("\"yaml\"", "format")]
    public async Task Unsupported_schema_keywords_are_a_400_naming_them(string format, string keyword)
    {
        var body = $$"""{"model":"random","prompt":"x","format":{{format}}}""";
        using var response = await fx.Http.PostAsync("/api/generate", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(keyword, doc.RootElement.GetProperty("error").GetString());
    }
}
