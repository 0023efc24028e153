namespace Corral.Templates.GoTemplates;

/// <summary>
/// A parsed Go text/template: immutable and safe to execute from many threads at once.
/// </summary>
public sealed class GoTemplate
{
    private readonly IReadOnlyDictionary<string, ListNode> _defined;
    private readonly IReadOnlyDictionary<string, TemplateFunction>? _functions;
    private IReadOnlySet<string>? _identifiers;

    private GoTemplate(string name, string text, ListNode root, IReadOnlyDictionary<string, ListNode> defined,
        IReadOnlyDictionary<string, TemplateFunction>? functions)
    {
        Name = name;
        Text = text;
        Root = root;
        _defined = defined;
        _functions = functions;
    }

    /// <summary>The template's name, used in error messages (Ollama's templates are named "").</summary>
    public string Name { get; }

    /// <summary>The source text.</summary>
    public string Text { get; }

    internal ListNode Root { get; }

    /// <summary>Names of the templates made with {{define}} or {{block}}.</summary>
    public IEnumerable<string> DefinedTemplates => _defined.Keys;

    /// <summary>
    /// Parses <paramref name="text"/>. <paramref name="functions"/> adds to (or overrides) the builtin functions;
    /// calling an unknown function is a parse error, as in Go.
    /// </summary>
    /// <exception cref="TemplateParseException">The text is not a valid template.</exception>
    public static GoTemplate Parse(string text, string name = "", IReadOnlyDictionary<string, TemplateFunction>? functions = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new Parser(name, text, fn => functions?.ContainsKey(fn) == true || Builtins.Functions.ContainsKey(fn));
        var root = parser.Parse();
        return new GoTemplate(name, text, root, parser.Defined, functions);
    }

    /// <summary>
    /// Every field and variable name the template mentions, lower-cased (what Ollama's Template.Vars reports;
    /// ".Messages" gives "messages", "$msg.Role" gives "$msg" and "role").
    /// </summary>
    public IReadOnlySet<string> Identifiers => _identifiers ??= CollectIdentifiers();

    /// <summary>Renders into <paramref name="output"/>. On failure, what was written before the error stays.</summary>
    /// <exception cref="TemplateExecutionException">Execution failed.</exception>
    public void Execute(StringBuilder output, TemplateValue data) => new Executor(this, output).Execute(Root, data);

    public void Execute(TextWriter writer, TemplateValue data)
    {
        var sb = new StringBuilder();
        try
        {
            Execute(sb, data);
        }
        finally
        {
            writer.Write(sb);
        }
    }

    public string Render(TemplateValue data)
    {
        var sb = new StringBuilder(Text.Length * 2);
        Execute(sb, data);
        return sb.ToString();
    }

    public override string ToString() => Text;

    internal GoTemplate WithRoot(ListNode root) => new(Name, Text, root, _defined, _functions);

    internal bool TryGetDefinition(string name, out ListNode body) => _defined.TryGetValue(name, out body!);

    internal TemplateFunction? FindFunction(string name) =>
        _functions is not null && _functions.TryGetValue(name, out var custom) ? custom
        : Builtins.Functions.TryGetValue(name, out var builtin) ? builtin : null;

    private HashSet<string> CollectIdentifiers()
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        Collect(Root, set);
        foreach (var body in _defined.Values)
        {
            Collect(body, set);
        }
        return set;
    }

    private static void Collect(Node node, HashSet<string> set)
    {
        switch (node)
        {
            case ListNode list:
                list.Nodes.ForEach(n => Collect(n, set));
                break;
            case ActionNode action:
                Collect(action.Pipe, set);
                break;
            case TemplateNode call when call.Pipe is not null:
                Collect(call.Pipe, set);
                break;
            case BranchNode branch:
                Collect(branch.Pipe, set);
                Collect(branch.List, set);
                if (branch.ElseList is not null)
                {
                    Collect(branch.ElseList, set);
                }
                break;
            case PipeNode pipe:
                foreach (var command in pipe.Commands)
                {
                    command.Args.ForEach(a => Collect(a, set));
                }
                break;
            case FieldNode field:
                foreach (var ident in field.Ident)
                {
                    set.Add(ident.ToLowerInvariant());
                }
                break;
            case VariableNode variable:
                foreach (var ident in variable.Ident)
                {
                    set.Add(ident.ToLowerInvariant());
                }
                break;
        }
    }
}
