using System.Runtime.CompilerServices;

namespace Corral.Templates.GoTemplates;

/// <summary>Walks a parsed template against data, following Go's text/template exec semantics.</summary>
internal sealed class Executor
{
    private const int MaxTemplateDepth = 100_000 / 100; // Go allows 100000 exec depth; nesting this deep is a bug.

    private enum Flow
    {
        Normal,
        Break,
        Continue,
    }

    private readonly GoTemplate _template;
    private readonly StringBuilder _out;
    private readonly List<(string Name, TemplateValue Value)> _vars = new(8);
    private int _depth;
    private string _currentName;

    public Executor(GoTemplate template, StringBuilder output)
    {
        _template = template;
        _out = output;
        _currentName = template.Name;
    }

    public void Execute(ListNode root, TemplateValue data)
    {
        _vars.Add(("$", data));
        Walk(data, root);
    }

    private TemplateExecutionException Error(Node node, string message)
    {
        var (line, column) = Parser.LineColumn(_template.Text, node.Position);
        // Go prints exec positions as a 0-based offset within the line.
        return new TemplateExecutionException(_currentName, line, column - 1, node.ToString() ?? "", message);
    }

    private Flow Walk(TemplateValue dot, Node node)
    {
        // A template that parsed can still nest deeper than execution's larger frames allow (each level walks
        // a list, a branch and a pipeline); overflowing the stack would kill the server.
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw Error(node, "template nested too deeply");
        }

        switch (node)
        {
            case TextNode text:
                _out.Append(text.Text);
                return Flow.Normal;
            case ListNode list:
                foreach (var child in list.Nodes)
                {
                    var flow = Walk(dot, child);
                    if (flow != Flow.Normal)
                    {
                        return flow;
                    }
                }
                return Flow.Normal;
            case ActionNode action:
                var value = EvalPipeline(dot, action.Pipe);
                if (action.Pipe.Decl.Count == 0)
                {
                    GoFormat.AppendValue(_out, value, topLevel: true);
                }
                return Flow.Normal;
            case BranchNode { Kind: BranchKind.Range } range:
                return WalkRange(dot, range);
            case BranchNode branch:
                return WalkIfOrWith(dot, branch);
            case BreakNode brk:
                return brk.IsContinue ? Flow.Continue : Flow.Break;
            case TemplateNode call:
                WalkTemplate(dot, call);
                return Flow.Normal;
            default:
                throw Error(node, $"unknown node: {node}");
        }
    }

    private Flow WalkIfOrWith(TemplateValue dot, BranchNode branch)
    {
        var mark = _vars.Count;
        try
        {
            var value = EvalPipeline(dot, branch.Pipe);
            if (value.IsTrue)
            {
                return Walk(branch.Kind == BranchKind.With ? value : dot, branch.List);
            }
            return branch.ElseList is null ? Flow.Normal : Walk(dot, branch.ElseList);
        }
        finally
        {
            _vars.RemoveRange(mark, _vars.Count - mark);
        }
    }

    private Flow WalkRange(TemplateValue dot, BranchNode range)
    {
        var mark = _vars.Count;
        try
        {
            var value = EvalPipeline(dot, range.Pipe);
            var iterated = false;
            switch (value.Kind)
            {
                case TemplateKind.List:
                    var list = value.AsList;
                    for (var i = 0; i < list.Count; i++)
                    {
                        iterated = true;
                        if (RangeBody(range, TemplateValue.FromInt(i), list[i]) == Flow.Break)
                        {
                            break;
                        }
                    }
                    break;
                case TemplateKind.Map:
                    var map = value.AsMap;
                    foreach (var key in map.SortedKeys)
                    {
                        iterated = true;
                        map.TryGetValue(key, out var item);
                        if (RangeBody(range, TemplateValue.FromString(key), item) == Flow.Break)
                        {
                            break;
                        }
                    }
                    break;
                case TemplateKind.Int:
                    if (range.Pipe.Decl.Count > 1)
                    {
                        throw Error(range, $"can't use {value.AsInt} to iterate over more than one variable");
                    }
                    for (long i = 0; i < value.AsInt; i++)
                    {
                        iterated = true;
                        if (RangeBody(range, TemplateValue.FromInt(i), TemplateValue.FromInt(i)) == Flow.Break)
                        {
                            break;
                        }
                    }
                    break;
                case TemplateKind.Nil:
                    break;
                default:
                    throw Error(range, $"range can't iterate over {Print(value)}");
            }
            if (!iterated && range.ElseList is not null)
            {
                return Walk(dot, range.ElseList);
            }
            return Flow.Normal;
        }
        finally
        {
            _vars.RemoveRange(mark, _vars.Count - mark);
        }
    }

    private Flow RangeBody(BranchNode range, TemplateValue index, TemplateValue element)
    {
        // The pipeline pushed its declared variables; set them for this iteration: one variable is the element,
        // two are index (or key) and element.
        var decl = range.Pipe.Decl.Count;
        if (decl >= 1)
        {
            SetTop(1, element);
        }
        if (decl >= 2)
        {
            SetTop(2, index);
        }
        var mark = _vars.Count;
        var flow = Walk(element, range.List);
        _vars.RemoveRange(mark, _vars.Count - mark);
        return flow;
    }

    private void SetTop(int n, TemplateValue value)
    {
        var i = _vars.Count - n;
        _vars[i] = (_vars[i].Name, value);
    }

    private void WalkTemplate(TemplateValue dot, TemplateNode call)
    {
        if (!_template.TryGetDefinition(call.Name, out var body))
        {
            throw Error(call, $"template \"{call.Name}\" not defined");
        }
        if (++_depth > MaxTemplateDepth)
        {
            throw Error(call, $"exceeded maximum template depth ({MaxTemplateDepth})");
        }
        var newDot = call.Pipe is null ? TemplateValue.Nil : EvalPipeline(dot, call.Pipe);
        var saved = _vars.ToArray();
        var savedName = _currentName;
        _vars.Clear();
        _vars.Add(("$", newDot));
        _currentName = call.Name;
        try
        {
            Walk(newDot, body);
        }
        finally
        {
            _vars.Clear();
            _vars.AddRange(saved);
            _currentName = savedName;
            _depth--;
        }
    }

    private TemplateValue EvalPipeline(TemplateValue dot, PipeNode pipe)
    {
        var value = TemplateValue.Nil;
        var commands = pipe.Commands;
        for (var i = 0; i < commands.Count; i++)
        {
            value = EvalCommand(dot, commands[i], value, hasFinal: i > 0);
        }
        foreach (var variable in pipe.Decl)
        {
            if (pipe.IsAssign)
            {
                SetVariable(variable, value);
            }
            else
            {
                _vars.Add((variable.Ident[0], value));
            }
        }
        return value;
    }

    private void SetVariable(VariableNode variable, TemplateValue value)
    {
        for (var i = _vars.Count - 1; i >= 0; i--)
        {
            if (_vars[i].Name == variable.Ident[0])
            {
                _vars[i] = (_vars[i].Name, value);
                return;
            }
        }
        throw Error(variable, $"undefined variable: {variable.Ident[0]}");
    }

    private TemplateValue LookupVariable(VariableNode node)
    {
        var name = node.Ident[0];
        for (var i = _vars.Count - 1; i >= 0; i--)
        {
            if (_vars[i].Name == name)
            {
                return _vars[i].Value;
            }
        }
        throw Error(node, $"undefined variable: {name}");
    }

    private TemplateValue EvalCommand(TemplateValue dot, CommandNode command, TemplateValue final, bool hasFinal)
    {
        var first = command.Args[0];
        switch (first)
        {
            case IdentifierNode function:
                return CallFunction(dot, function, command, final, hasFinal);
            case NilNode:
                throw Error(first, "nil is not a command");
        }
        if (command.Args.Count > 1 || hasFinal)
        {
            if (first is FieldNode field)
            {
                // Go evaluates the receiver first, then complains that a field cannot take arguments.
                var receiver = EvalFields(field, dot, field.Ident[..^1], 0);
                var name = field.Ident[^1];
                throw Error(first, receiver.Kind == TemplateKind.Map
                    ? $"{name} is not a method but has arguments"
                    : $"{name} has arguments but cannot be invoked as function");
            }
            throw Error(first, $"can't give argument to non-function {first}");
        }
        return EvalArg(dot, first);
    }

    private TemplateValue EvalArg(TemplateValue dot, Node node)
    {
        switch (node)
        {
            case DotNode:
                return dot;
            case NilNode:
                return TemplateValue.Nil;
            case ConstantNode constant:
                return constant.Value;
            case FieldNode field:
                return EvalFields(field, dot, field.Ident, 0);
            case VariableNode variable:
                return EvalFields(variable, LookupVariable(variable), variable.Ident, 1);
            case ChainNode chain:
                return EvalFields(chain, EvalArg(dot, chain.Node), chain.Fields, 0);
            case PipeNode pipe:
                return EvalPipeline(dot, pipe);
            case IdentifierNode function:
                var command = new CommandNode(function.Position);
                command.Args.Add(function);
                return CallFunction(dot, function, command, TemplateValue.Nil, hasFinal: false);
            default:
                throw Error(node, $"can't handle {node} as argument");
        }
    }

    private TemplateValue EvalFields(Node node, TemplateValue receiver, string[] idents, int start)
    {
        for (var i = start; i < idents.Length; i++)
        {
            receiver = EvalField(node, receiver, idents[i]);
        }
        return receiver;
    }

    private TemplateValue EvalField(Node node, TemplateValue receiver, string name)
    {
        switch (receiver.Kind)
        {
            case TemplateKind.Nil:
                // Go: a field of a missing value (nil interface) is a nil pointer dereference.
                throw Error(node, $"nil pointer evaluating interface {{}}.{name}");
            case TemplateKind.Map:
                return receiver.AsMap.TryGetValue(name, out var value) ? value : TemplateValue.Nil;
            case TemplateKind.Object:
                if (receiver.AsObject.TryGetField(name, out var field))
                {
                    return field;
                }
                throw Error(node, $"can't evaluate field {name} in type {receiver.GoTypeName}");
            default:
                throw Error(node, $"can't evaluate field {name} in type {receiver.GoTypeName}");
        }
    }

    private TemplateValue CallFunction(TemplateValue dot, IdentifierNode function, CommandNode command, TemplateValue final, bool hasFinal)
    {
        var name = function.Name;
        var argCount = command.Args.Count - 1 + (hasFinal ? 1 : 0);
        // and/or evaluate lazily and return the deciding operand, as Go 1.18+ does.
        if (name is "and" or "or")
        {
            if (argCount < 1)
            {
                throw Error(command, $"wrong number of args for {name}: want at least 1 got 0");
            }
            var result = TemplateValue.Nil;
            for (var i = 1; i <= argCount; i++)
            {
                result = i < command.Args.Count ? EvalArg(dot, command.Args[i]) : final;
                if (result.IsTrue == (name == "or"))
                {
                    return result;
                }
            }
            return result;
        }
        var args = argCount == 0 ? [] : new TemplateValue[argCount];
        for (var i = 1; i < command.Args.Count; i++)
        {
            args[i - 1] = EvalArg(dot, command.Args[i]);
        }
        if (hasFinal)
        {
            args[^1] = final;
        }
        TemplateFunction? implementation = _template.FindFunction(name);
        if (implementation is null)
        {
            throw Error(function, $"\"{name}\" is not a defined function");
        }
        try
        {
            return implementation(args);
        }
        catch (TemplateArityException arity)
        {
            throw Error(command, $"wrong number of args for {name}: {arity.Message}");
        }
        catch (TemplateFunctionException failure)
        {
            throw Error(command, $"error calling {name}: {failure.Message}");
        }
    }

    private static string Print(TemplateValue value)
    {
        var sb = new StringBuilder();
        GoFormat.AppendValue(sb, value, topLevel: false);
        return sb.ToString();
    }
}
