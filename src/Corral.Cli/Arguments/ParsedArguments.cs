namespace Corral.Cli.Arguments;

/// <summary>A verb's positional arguments and flag values after parsing.</summary>
internal sealed class ParsedArguments
{
    private readonly Dictionary<string, string> _values;

    public ParsedArguments(IReadOnlyList<string> positionals, Dictionary<string, string> values, bool helpRequested)
    {
        Positionals = positionals;
        _values = values;
        HelpRequested = helpRequested;
    }

    public IReadOnlyList<string> Positionals { get; }

    public bool HelpRequested { get; }

    public bool Has(string flag) => _values.ContainsKey(flag);

    /// <summary>The flag's value, or null when absent.</summary>
    public string? String(string flag) => _values.GetValueOrDefault(flag);

    public bool Bool(string flag) => _values.TryGetValue(flag, out var value) && value == "true";
}
