using System.Text.Json;
using Corral.Templates.GoTemplates;
using Corral.Templates.Prompting;

namespace Corral.Templates.Tests.GoTemplates;

/// <summary>
/// Cases whose expected output (or error) was produced by Go 1.19's text/template with Ollama's options
/// (missingkey=zero, the json func) and data decoded by encoding/json into map[string]any.
/// </summary>
public sealed class GoOracleTests
{
    private static readonly JsonSerializerOptions CaseInsensitive = new() { PropertyNameCaseInsensitive = true };

    public static TheoryData<int> CaseIndexes()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < Cases.Value.Length; i++)
        {
            data.Add(i);
        }
        return data;
    }

    private static readonly Lazy<OracleCase[]> Cases = new(() =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, "GoOracle", "go119-cases.json");
        return JsonSerializer.Deserialize<OracleCase[]>(File.ReadAllText(path), CaseInsensitive)!;
    });

    [Theory]
    [MemberData(nameof(CaseIndexes))]
    public void MatchesGo(int index)
    {
        var c = Cases.Value[index];
        using var document = JsonDocument.Parse(c.Data);
        var data = TemplateValue.FromJson(document.RootElement);
        string output;
        string? error = null;
        var sb = new StringBuilder();
        try
        {
            var template = GoTemplate.Parse(c.Template, "", OllamaTemplateFunctions.All);
            template.Execute(sb, data);
        }
        catch (Exception e) when (e is TemplateParseException or TemplateExecutionException)
        {
            error = e.Message;
        }
        output = sb.ToString();
        Assert.Equal(c.Expected, output);
        if (c.Error is null)
        {
            Assert.Null(error);
        }
        else
        {
            Assert.NotNull(error);
            // Go's static type names (interface {}) are not tracked, so compare the part before them.
            Assert.Equal(Prefix(c.Error), Prefix(error));
        }
    }

    private static string Prefix(string message)
    {
        var cut = message.IndexOf(" in type ", StringComparison.Ordinal);
        return cut < 0 ? message : message[..cut];
    }

    public sealed record OracleCase(string Template, string Data, string Expected, string? Error);
}
