namespace Corral.Templates.Jinja;

/// <summary>
/// A parsed Jinja2 template, rendered the way Hugging Face transformers renders chat templates
/// (trim_blocks, lstrip_blocks, loop controls, raise_exception, strftime_now, HF's tojson). Thread-safe: one
/// parsed template may render many requests at once.
/// </summary>
public sealed class JinjaTemplate
{
    private readonly List<Node> _body;

    private JinjaTemplate(string source, List<Node> body)
    {
        Source = source;
        _body = body;
    }

    public string Source { get; }

    /// <exception cref="JinjaException">The template has a syntax error.</exception>
    public static JinjaTemplate Parse(string source) => new(source, Parser.Parse(source));

    /// <summary>
    /// Renders with the given variables; values go through <see cref="JinjaValues.From"/> (JsonElement, JsonNode,
    /// dictionaries, lists and primitives are accepted).
    /// </summary>
    /// <exception cref="JinjaRaiseException">The template called raise_exception.</exception>
    /// <exception cref="JinjaException">The template failed (undefined attribute access, type errors, ...).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> fired while the template was still looping.</exception>
    public string Render(IEnumerable<KeyValuePair<string, object?>> variables, TimeProvider? time = null, CancellationToken cancellation = default)
    {
        var globals = new Dictionary<string, object?>(Globals.Builtins, StringComparer.Ordinal);
        foreach (var (name, value) in variables)
        {
            globals[name] = JinjaValues.From(value);
        }

        var root = new RenderRoot(globals, time ?? TimeProvider.System, cancellation);
        var output = new StringBuilder();
        try
        {
            Node.RenderAll(_body, new Scope(root, null), output);
        }
        catch (InvalidCastException e)
        {
            throw new JinjaException($"template type error: {e.Message}", e);
        }

        return output.ToString();
    }
}
