using System.Text.Json;
using Corral.Templates.Jinja;

namespace Corral.Templates.Tests.Jinja;

/// <summary>
/// Published chat templates rendered by Corral's engine must match Python Jinja2 byte for byte
/// (Golden/golden.json, made by Golden/make_golden.py with HF transformers' environment settings).
/// </summary>
public sealed class GoldenTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Jinja");
    private static readonly Lazy<JsonDocument> Golden = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "Golden", "golden.json"))));

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var c in Golden.Value.RootElement.EnumerateArray())
        {
            data.Add(c.GetProperty("template").GetString()!, c.GetProperty("case").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void RendersLikeJinja2(string template, string caseName)
    {
        var c = Golden.Value.RootElement.EnumerateArray()
            .First(e => e.GetProperty("template").GetString() == template && e.GetProperty("case").GetString() == caseName);
        var parsed = JinjaTemplate.Parse(File.ReadAllText(Path.Combine(Folder, "Templates", template)));
        var variables = c.GetProperty("variables").EnumerateObject()
            .Select(p => new KeyValuePair<string, object?>(p.Name, p.Value));
        if (c.TryGetProperty("error", out var error))
        {
            var e = Assert.ThrowsAny<JinjaException>(() => parsed.Render(variables, FixedTime.Instance));
            if (error.GetString()!.StartsWith("raise_exception: ", StringComparison.Ordinal))
            {
                Assert.IsType<JinjaRaiseException>(e);
                Assert.Equal(error.GetString()!["raise_exception: ".Length..], e.Message);
            }

            return;
        }

        Assert.Equal(c.GetProperty("expected").GetString(), parsed.Render(variables, FixedTime.Instance));
    }
}
