namespace Corral.Templates.Jinja;

// The statement tree. Render writes output; loops react to the break/continue signal in RenderRoot.
internal abstract class Node
{
    public abstract void Render(Scope scope, StringBuilder output);

    public static void RenderAll(List<Node> body, Scope scope, StringBuilder output)
    {
        StackGuard.Ensure();
        foreach (var node in body)
        {
            node.Render(scope, output);
            if (scope.Root.Signal != LoopSignal.None)
            {
                return;
            }
        }
    }
}

internal sealed class TextNode(string text) : Node
{
    public override void Render(Scope scope, StringBuilder output) => output.Append(text);
}

internal sealed class OutputNode(Expr expr) : Node
{
    public override void Render(Scope scope, StringBuilder output) => PyFormat.AppendStr(output, expr.Eval(scope));
}

internal sealed class IfNode(List<(Expr Test, List<Node> Body)> branches, List<Node>? otherwise) : Node
{
    public override void Render(Scope scope, StringBuilder output)
    {
        foreach (var (test, body) in branches)
        {
            if (PyOps.Truthy(test.Eval(scope)))
            {
                RenderAll(body, scope, output);
                return;
            }
        }

        if (otherwise is not null)
        {
            RenderAll(otherwise, scope, output);
        }
    }
}

internal sealed class ForNode(List<string> targets, Expr iterable, Expr? filter, List<Node> body, List<Node>? otherwise) : Node
{
    public override void Render(Scope scope, StringBuilder output)
    {
        var items = PyOps.Iterate(iterable.Eval(scope));
        var loopScope = new Scope(scope.Root, scope);
        if (filter is not null)
        {
            var kept = new List<object?>();
            foreach (var item in items)
            {
                Bind(loopScope, item);
                if (PyOps.Truthy(filter.Eval(loopScope)))
                {
                    kept.Add(item);
                }
            }

            items = kept;
        }

        if (items.Count == 0)
        {
            if (otherwise is not null)
            {
                RenderAll(otherwise, scope, output);
            }

            return;
        }

        var root = scope.Root;
        var outer = scope.Lookup("loop") as LoopContext;
        var loop = new LoopContext(items, (outer?.Depth ?? 0) + 1);
        loopScope.Set("loop", loop);
        for (var i = 0; i < items.Count; i++)
        {
            root.Check(output.Length);
            loop.Index0 = i;
            Bind(loopScope, items[i]);
            RenderAll(body, loopScope, output);
            if (root.Signal == LoopSignal.Break)
            {
                root.Signal = LoopSignal.None;
                break;
            }

            root.Signal = LoopSignal.None;
        }
    }

    private void Bind(Scope scope, object? item)
    {
        if (targets.Count == 1)
        {
            scope.Set(targets[0], item);
            return;
        }

        var values = item as IList<object?> ?? throw new JinjaException($"cannot unpack non-sequence {PyOps.TypeName(item)}");
        if (values.Count != targets.Count)
        {
            throw new JinjaException($"expected {targets.Count} values to unpack, got {values.Count}");
        }

        for (var i = 0; i < targets.Count; i++)
        {
            scope.Set(targets[i], values[i]);
        }
    }
}

internal sealed class LoopControlNode(LoopSignal signal) : Node
{
    public override void Render(Scope scope, StringBuilder output) => scope.Root.Signal = signal;
}

/// <summary><c>{% set x = v %}</c>, <c>{% set a, b = v %}</c> or <c>{% set ns.attr = v %}</c>.</summary>
internal sealed class SetNode(List<string> names, Expr? namespaceTarget, Expr value) : Node
{
    public override void Render(Scope scope, StringBuilder output)
    {
        var v = value.Eval(scope);
        if (namespaceTarget is not null)
        {
            var ns = namespaceTarget.Eval(scope) as JinjaNamespace
                ?? throw new JinjaException("can only assign attributes of a namespace() object");
            ns.Attributes[names[0]] = v;
            return;
        }

        if (names.Count == 1)
        {
            scope.Set(names[0], v);
            return;
        }

        var values = v as IList<object?> ?? throw new JinjaException("cannot unpack a non-sequence");
        if (values.Count != names.Count)
        {
            throw new JinjaException($"expected {names.Count} values to unpack, got {values.Count}");
        }

        for (var i = 0; i < names.Count; i++)
        {
            scope.Set(names[i], values[i]);
        }
    }
}

/// <summary><c>{% set x %}...{% endset %}</c>, optionally filtered (<c>{% set x | trim %}</c>).</summary>
internal sealed class SetBlockNode(string name, Expr? namespaceTarget, List<FilterExpr> filters, List<Node> body) : Node
{
    public override void Render(Scope scope, StringBuilder output)
    {
        var sb = new StringBuilder();
        RenderAll(body, scope, sb);
        object? v = sb.ToString();
        foreach (var filter in filters)
        {
            v = filter.ApplyTo(v, scope);
        }

        if (namespaceTarget is not null)
        {
            var ns = namespaceTarget.Eval(scope) as JinjaNamespace ?? throw new JinjaException("can only assign attributes of a namespace() object");
            ns.Attributes[name] = v;
        }
        else
        {
            scope.Set(name, v);
        }
    }
}

/// <summary><c>{% filter upper %}...{% endfilter %}</c>.</summary>
internal sealed class FilterBlockNode(List<FilterExpr> filters, List<Node> body) : Node
{
    public override void Render(Scope scope, StringBuilder output)
    {
        var sb = new StringBuilder();
        RenderAll(body, scope, sb);
        object? v = sb.ToString();
        foreach (var filter in filters)
        {
            v = filter.ApplyTo(v, scope);
        }

        PyFormat.AppendStr(output, v);
    }
}

/// <summary>A block whose body is rendered as is (Hugging Face's <c>{% generation %}</c> marker).</summary>
internal sealed class PassThroughNode(List<Node> body) : Node
{
    public override void Render(Scope scope, StringBuilder output) => RenderAll(body, scope, output);
}

internal sealed class MacroNode(string name, List<string> parameters, List<Expr?> defaults, List<Node> body) : Node
{
    public override void Render(Scope scope, StringBuilder output) =>
        scope.Set(name, new JinjaMacro(name, parameters, defaults, body, scope));
}

internal sealed class JinjaMacro(string name, List<string> parameters, List<Expr?> defaults, List<Node> body, Scope closure) : IJinjaCallable
{
    private const int MaxDepth = 200;

    public object? Call(CallArgs args, RenderRoot root)
    {
        if (root.Depth >= MaxDepth)
        {
            throw new JinjaException($"macro '{name}' recursed too deeply");
        }

        root.Cancellation.ThrowIfCancellationRequested();

        var scope = new Scope(root, closure);
        var varargs = new List<object?>();
        for (var i = 0; i < args.Positional.Count; i++)
        {
            if (i < parameters.Count)
            {
                scope.Set(parameters[i], args.Positional[i]);
            }
            else
            {
                varargs.Add(args.Positional[i]);
            }
        }

        var kwargs = new JinjaDict();
        foreach (var (key, value) in args.Named)
        {
            var index = parameters.IndexOf(key);
            if (index < 0)
            {
                kwargs[key] = value;
            }
            else if (index < args.Positional.Count)
            {
                throw new JinjaException($"macro '{name}' got multiple values for argument '{key}'");
            }
            else
            {
                scope.Set(key, value);
            }
        }

        for (var i = args.Positional.Count; i < parameters.Count; i++)
        {
            if (!args.Named.ContainsKey(parameters[i]))
            {
                scope.Set(parameters[i], defaults[i] is { } d ? d.Eval(scope) : Undefined.Named(parameters[i]));
            }
        }

        scope.Set("varargs", varargs);
        scope.Set("kwargs", kwargs);
        var output = new StringBuilder();
        var savedSignal = root.Signal;
        root.Depth++;
        try
        {
            root.Signal = LoopSignal.None;
            Node.RenderAll(body, scope, output);
        }
        finally
        {
            root.Depth--;
            root.Signal = savedSignal;
        }

        return output.ToString();
    }
}
