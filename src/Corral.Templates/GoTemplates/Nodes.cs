namespace Corral.Templates.GoTemplates;

// The parse tree, shaped like Go's text/template/parse nodes. ToString prints a node as Go does in error messages.

internal abstract class Node(int position)
{
    public int Position { get; } = position;
}

internal sealed class ListNode(int position) : Node(position)
{
    public List<Node> Nodes { get; } = [];

    public ListNode CopyList()
    {
        var copy = new ListNode(Position);
        foreach (var node in Nodes)
        {
            copy.Nodes.Add(NodeCopier.Copy(node));
        }
        return copy;
    }
}

internal sealed class TextNode(int position, string text) : Node(position)
{
    public string Text { get; } = text;
}

internal sealed class ActionNode(int position, PipeNode pipe) : Node(position)
{
    public PipeNode Pipe { get; set; } = pipe;

    public override string ToString() => "{{" + Pipe + "}}";
}

internal sealed class PipeNode(int position) : Node(position)
{
    public bool IsAssign { get; set; }

    public List<VariableNode> Decl { get; } = [];

    public List<CommandNode> Commands { get; set; } = [];

    public override string ToString()
    {
        var sb = new StringBuilder();
        if (Decl.Count > 0)
        {
            sb.AppendJoin(", ", Decl).Append(IsAssign ? " = " : " := ");
        }
        sb.AppendJoin(" | ", Commands);
        return sb.ToString();
    }
}

internal sealed class CommandNode(int position) : Node(position)
{
    public List<Node> Args { get; set; } = [];

    public override string ToString() =>
        string.Join(" ", Args.Select(a => a is PipeNode ? "(" + a + ")" : a.ToString()));
}

internal sealed class FieldNode(int position, string[] ident) : Node(position)
{
    public string[] Ident { get; } = ident;

    public override string ToString() => "." + string.Join(".", Ident);
}

internal sealed class VariableNode(int position, string[] ident) : Node(position)
{
    /// <summary>Ident[0] is the variable name with its '$'; the rest are fields.</summary>
    public string[] Ident { get; } = ident;

    public override string ToString() => string.Join(".", Ident);
}

internal sealed class ChainNode(int position, Node node, string[] fields) : Node(position)
{
    public Node Node { get; } = node;

    public string[] Fields { get; } = fields;

    public override string ToString() =>
        (Node is PipeNode ? "(" + Node + ")" : Node.ToString()) + "." + string.Join(".", Fields);
}

internal sealed class IdentifierNode(int position, string name) : Node(position)
{
    public string Name { get; } = name;

    public override string ToString() => Name;
}

internal sealed class DotNode(int position) : Node(position)
{
    public override string ToString() => ".";
}

internal sealed class NilNode(int position) : Node(position)
{
    public override string ToString() => "nil";
}

internal sealed class ConstantNode(int position, TemplateValue value, string text) : Node(position)
{
    /// <summary>Bool, number, char or string constant, already converted.</summary>
    public TemplateValue Value { get; } = value;

    public string Text { get; } = text;

    public override string ToString() => Text;
}

internal enum BranchKind
{
    If,
    Range,
    With,
}

internal sealed class BranchNode(int position, BranchKind kind, PipeNode pipe, ListNode list, ListNode? elseList) : Node(position)
{
    public BranchKind Kind { get; } = kind;

    public PipeNode Pipe { get; set; } = pipe;

    public ListNode List { get; set; } = list;

    public ListNode? ElseList { get; set; } = elseList;

    public override string ToString() => "{{" + Kind.ToString().ToLowerInvariant() + " " + Pipe + "}}";
}

internal sealed class BreakNode(int position, bool isContinue) : Node(position)
{
    public bool IsContinue { get; } = isContinue;

    public override string ToString() => IsContinue ? "{{continue}}" : "{{break}}";
}

internal sealed class TemplateNode(int position, string name, PipeNode? pipe) : Node(position)
{
    public string Name { get; } = name;

    public PipeNode? Pipe { get; } = pipe;

    public override string ToString() => Pipe is null ? $"{{{{template \"{Name}\"}}}}" : $"{{{{template \"{Name}\" {Pipe}}}}}";
}

/// <summary>Deep copies of nodes that may be edited (lists, branches, actions, pipes, commands).</summary>
internal static class NodeCopier
{
    public static Node Copy(Node node) => node switch
    {
        ListNode list => list.CopyList(),
        ActionNode action => new ActionNode(action.Position, CopyPipe(action.Pipe)),
        BranchNode branch => new BranchNode(branch.Position, branch.Kind, CopyPipe(branch.Pipe), branch.List.CopyList(), branch.ElseList?.CopyList()),
        PipeNode pipe => CopyPipe(pipe),
        _ => node,
    };

    private static PipeNode CopyPipe(PipeNode pipe)
    {
        var copy = new PipeNode(pipe.Position) { IsAssign = pipe.IsAssign };
        copy.Decl.AddRange(pipe.Decl);
        foreach (var command in pipe.Commands)
        {
            var c = new CommandNode(command.Position);
            c.Args.AddRange(command.Args.Select(Copy));
            copy.Commands.Add(c);
        }
        return copy;
    }
}
