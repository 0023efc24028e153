using System.Text;
using System.Text.Json;
using Corral.Api.Json;
using Corral.Api.Ollama;

namespace Corral.Api.Tests.Json;

/// <summary>
/// The bytes Go's encoding/json (HTML-safe, as Ollama's json.Marshal and gin's c.JSON use it) writes for a string,
/// against what Corral's wire encoder writes, through both of System.Text.Json's paths (UTF-16 strings and UTF-8).
/// </summary>
public sealed class GoJsonEncoderTests
{
    private static readonly JsonSerializerOptions GoOptions = new() { Encoder = GoJsonEncoder.Instance };

    public static TheoryData<string, string> GoCases => new()
    {
        { "plain ascii 123", "\"plain ascii 123\"" },
        { "quote \" and backslash \\", "\"quote \\\" and backslash \\\\\"" },
        { "it's", "\"it's\"" },
        { "a<b>&c", "\"a\\u003cb\\u003e\\u0026c\"" },
        { "line\nret\rtab\tbs\bff\f", "\"line\\nret\\rtab\\tbs\\bff\\f\"" },
        { "nul\u0000unit\u001fdel\u007f", "\"nul\\u0000unit\\u001fdel\u007f\"" },
        { "sep\u2028para\u2029", "\"sep\\u2028para\\u2029\"" },
        { "يحب العربية", "\"يحب العربية\"" },
        { "中文 日本語 한국어", "\"中文 日本語 한국어\"" },
        { "emoji 😀 and flag 🇫🇷", "\"emoji 😀 and flag 🇫🇷\"" },
        { "é ñ ü ß ø", "\"é ñ ü ß ø\"" },
        { "zero\u200Bwidth\uFEFFbom", "\"zero\u200Bwidth\uFEFFbom\"" },
        { "replacement \uFFFD kept", "\"replacement \uFFFD kept\"" },
        { "dagger \u2020 and \u2027 share the separators' first bytes", "\"dagger \u2020 and \u2027 share the separators' first bytes\"" },
        { "C1 \u0080\u009f controls stay raw", "\"C1 \u0080\u009f controls stay raw\"" },
    };

    [Theory]
    [MemberData(nameof(GoCases))]
    public void Utf16_strings_are_escaped_as_go_escapes_them(string value, string go)
    {
        var written = Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(value, GoOptions));
        Assert.Equal(go, written);
    }

    [Theory]
    [MemberData(nameof(GoCases))]
    public void Utf8_strings_are_escaped_as_go_escapes_them(string value, string go)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = GoJsonEncoder.Instance }))
        {
            writer.WriteStringValue(Encoding.UTF8.GetBytes(value));
        }

        Assert.Equal(go, Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void A_lone_surrogate_becomes_the_replacement_character_instead_of_failing()
    {
        var written = Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes("bad \uD800 end", GoOptions));
        Assert.Equal("\"bad \uFFFD end\"", written);
    }

    [Fact]
    public void Long_text_with_escapes_far_apart_is_written_whole()
    {
        var text = new string('x', 5000) + "<" + new string('é', 3000) + "\"" + string.Concat(Enumerable.Repeat("😀", 1000)) + "\n";
        var written = Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(text, GoOptions));
        Assert.Equal("\"" + new string('x', 5000) + "\\u003c" + new string('é', 3000) + "\\\"" + string.Concat(Enumerable.Repeat("😀", 1000)) + "\\n\"", written);
        Assert.Equal(text, JsonSerializer.Deserialize<string>(written));
    }

    [Fact]
    public void Native_wire_responses_use_it()
    {
        var response = new GenerateResponse { Model = "m", CreatedAt = DateTimeOffset.UnixEpoch, Response = "مرحبا <b> \"😀\"" };
        var json = Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(response, OllamaJsonContext.Wire.GenerateResponse));
        Assert.Contains("\"response\":\"مرحبا \\u003cb\\u003e \\\"😀\\\"\"", json);
    }
}
