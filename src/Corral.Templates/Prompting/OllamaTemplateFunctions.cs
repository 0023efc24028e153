using Corral.Templates.GoTemplates;

namespace Corral.Templates.Prompting;

/// <summary>The functions Ollama registers for its templates: json, currentDate, yesterdayDate, toTypeScriptType.</summary>
public static class OllamaTemplateFunctions
{
    /// <summary>Clock used by currentDate/yesterdayDate (local time, as Go's time.Now); replaceable in tests.</summary>
    public static Func<DateTime> Now { get; set; } = () => DateTime.Now;

    public static IReadOnlyDictionary<string, TemplateFunction> All { get; } = new Dictionary<string, TemplateFunction>(StringComparer.Ordinal)
    {
        ["json"] = args =>
        {
            TemplateArityException.Require(args, 1);
            return TemplateValue.FromString(GoJsonWriter.Serialize(args[0]));
        },
        // Ollama accepts and ignores a format argument; the date is always YYYY-MM-DD.
        ["currentDate"] = args => TemplateValue.FromString(Now().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        ["yesterdayDate"] = args => TemplateValue.FromString(Now().AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        ["toTypeScriptType"] = args =>
        {
            TemplateArityException.Require(args, 1);
            return TemplateValue.FromString(args[0].Kind == TemplateKind.Object && args[0].AsObject is ToolProperty property
                ? property.ToTypeScriptType()
                : "any");
        },
    };
}
