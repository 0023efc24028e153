using System.Text;
using Corral.Api.Ollama;
using Corral.Server.Http;
using Microsoft.AspNetCore.Http;

namespace Corral.Server.Tests.Http;

/// <summary>
/// Streamed lines and errors carry the bytes Ollama's Go encoder writes: raw UTF-8, <c>\"</c> for quotes and
/// <c>\u003c</c> for <c>&lt;</c> — the same as non-streamed answers (they used to differ: \u064A in streams,
/// \u0022 in errors).
/// </summary>
public sealed class WireEscapingTests
{
    private const string Text = "يحب 中文 😀 \"quoted\" it's <b>&";
    private const string GoEscaped = "يحب 中文 😀 \\\"quoted\\\" it's \\u003cb\\u003e\\u0026";

    [Fact]
    public async Task Streamed_ndjson_lines_escape_as_go_does()
    {
        var (http, body) = Context();
        using (var stream = new NdjsonResponse(http))
        {
            await stream.WriteAsync(new GenerateResponse { Model = "m", CreatedAt = DateTimeOffset.UnixEpoch, Response = Text }, OllamaJsonContext.Wire.GenerateResponse);
            await stream.WriteErrorAsync(Text);
        }

        var lines = Encoding.UTF8.GetString(body.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("\"response\":\"" + GoEscaped + "\"", lines[0]);
        Assert.Equal("{\"error\":\"" + GoEscaped + "\"}", lines[1]);
    }

    [Fact]
    public async Task Error_bodies_escape_as_go_does()
    {
        var (http, body) = Context();
        await ApiError.WriteAsync(http, 404, "model 'x' \"y\" not found");
        Assert.Equal("{\"error\":\"model 'x' \\\"y\\\" not found\"}", Encoding.UTF8.GetString(body.ToArray()));
    }

    private static (HttpContext Http, MemoryStream Body) Context()
    {
        var body = new MemoryStream();
        var http = new DefaultHttpContext();
        http.Response.Body = body;
        return (http, body);
    }
}
