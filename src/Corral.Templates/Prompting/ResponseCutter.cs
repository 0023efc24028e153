using Corral.Templates.GoTemplates;

namespace Corral.Templates.Prompting;

/// <summary>
/// Ollama's deleteNode for legacy templates: keep everything up to and including the first {{ .Response }} field,
/// drop every node after it (branch conditions are not inspected, as in Ollama).
/// </summary>
internal static class ResponseCutter
{
    public static ListNode CutAfterResponse(ListNode root)
    {
        var cut = false;
        var copy = root.CopyList();
        Walk(copy, ref cut);
        return copy;
    }

    /// <summary>Returns false when the node is to be deleted.</summary>
    private static bool Walk(Node node, ref bool cut)
    {
        if (node is FieldNode field && field.Ident.Contains("Response"))
        {
            cut = true;
            return true;
        }
        if (cut)
        {
            return false;
        }
        switch (node)
        {
            case ListNode list:
                var kept = new List<Node>(list.Nodes.Count);
                foreach (var child in list.Nodes)
                {
                    if (Walk(child, ref cut))
                    {
                        kept.Add(child);
                    }
                }
                list.Nodes.Clear();
                list.Nodes.AddRange(kept);
                return true;
            case BranchNode branch:
                if (!Walk(branch.List, ref cut))
                {
                    branch.List = new ListNode(branch.List.Position);
                }
                if (branch.ElseList is not null && !Walk(branch.ElseList, ref cut))
                {
                    branch.ElseList = null;
                }
                return true;
            case ActionNode action:
                return Walk(action.Pipe, ref cut);
            case PipeNode pipe:
                var commands = new List<CommandNode>();
                foreach (var command in pipe.Commands)
                {
                    var args = new List<Node>();
                    foreach (var arg in command.Args)
                    {
                        if (Walk(arg, ref cut))
                        {
                            args.Add(arg);
                        }
                    }
                    if (args.Count == 0)
                    {
                        return false;
                    }
                    command.Args = args;
                    commands.Add(command);
                }
                if (commands.Count == 0)
                {
                    return false;
                }
                pipe.Commands = commands;
                return true;
            default:
                return true;
        }
    }
}
