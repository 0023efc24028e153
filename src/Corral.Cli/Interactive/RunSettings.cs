using System.Text.Json;
using Corral.Api.Ollama;
using Corral.Models.Modelfiles;

namespace Corral.Cli.Interactive;

/// <summary>The state of a <c>corral run</c> session: flags at start, changed by <c>/set</c> and <c>/load</c>.</summary>
internal sealed class RunSettings
{
    private readonly List<KeyValuePair<string, string>> _parameters = [];

    public required string Model { get; set; }

    public string? System { get; set; }

    /// <summary>"json", a JSON schema text, or null.</summary>
    public string? Format { get; set; }

    public ThinkValue? Think { get; set; }

    public bool HideThinking { get; set; }

    public KeepAlive? KeepAlive { get; set; }

    public bool Verbose { get; set; }

    public bool WordWrap { get; set; } = true;

    /// <summary>The model takes images ("vision" capability): image paths in prompts are read and sent.</summary>
    public bool MultiModal { get; set; }

    public bool History { get; set; } = true;

    /// <summary>The conversation so far (system message, user and assistant turns).</summary>
    public List<Message> Messages { get; } = [];

    /// <summary>Parameters set with <c>/set parameter</c>, name → text values (stop may have several).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters => _parameters;

    /// <summary>
    /// Sets a parameter from its text values; returns null, or the reason it is rejected
    /// ("unknown parameter 'x'", "invalid int value [x]").
    /// </summary>
    public string? SetParameter(string name, IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            return $"missing value for {name}";
        }

        foreach (var value in values)
        {
            if (ModelfileParameters.Validate(name, value) is { } error)
            {
                return error;
            }
        }

        if (!ModelfileParameters.TryGet(name, out var definition) || definition.IsDeprecated)
        {
            return $"unknown parameter '{name}'";
        }

        _parameters.RemoveAll(p => p.Key == name);
        var kept = definition.Kind == ParameterKind.StringArray ? values : [values[^1]];
        _parameters.AddRange(kept.Select(v => new KeyValuePair<string, string>(name, v)));
        return null;
    }

    /// <summary>The request options these parameters make; null when none are set.</summary>
    public ModelOptions? Options() => _parameters.Count == 0 ? null : ModelOptions.FromParameters(_parameters);

    public JsonElement? FormatElement()
    {
        if (string.IsNullOrEmpty(Format))
        {
            return null;
        }

        var json = Format.TrimStart().StartsWith('{') ? Format : "\"" + JsonEncodedText.Encode(Format).ToString() + "\"";
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>Parses a --think/<c>/set think</c> value: true/false or high/medium/low.</summary>
    public static ThinkValue ParseThink(string text) => text.ToLowerInvariant() switch
    {
        "" or "true" or "1" or "t" or "yes" or "on" => ThinkValue.True,
        "false" or "0" or "f" or "no" or "off" => ThinkValue.False,
        var level => ThinkValue.FromLevel(level),
    };
}
