namespace Corral.Templates.Jinja;

// The expression tree. Each node evaluates itself against a scope; Python semantics live in PyOps.
internal abstract class Expr
{
    public int Line { get; init; }

    public abstract object? Eval(Scope scope);
}

internal sealed class ConstExpr(object? value) : Expr
{
    public object? Value { get; } = value;

    public override object? Eval(Scope scope) => Value;
}

internal sealed class NameExpr(string name) : Expr
{
    public string Name { get; } = name;

    public override object? Eval(Scope scope) => scope.Lookup(Name);
}

internal sealed class ListExpr(List<Expr> items, bool isTuple) : Expr
{
    public List<Expr> Items { get; } = items;

    public bool IsTuple { get; } = isTuple;

    public override object? Eval(Scope scope)
    {
        StackGuard.Ensure();
        if (IsTuple)
        {
            var tuple = new object?[Items.Count];
            for (var i = 0; i < tuple.Length; i++)
            {
                tuple[i] = Items[i].Eval(scope);
            }

            return tuple;
        }

        var list = new List<object?>(Items.Count);
        foreach (var item in Items)
        {
            list.Add(item.Eval(scope));
        }

        return list;
    }
}

internal sealed class DictExpr(List<(Expr Key, Expr Value)> items) : Expr
{
    public override object? Eval(Scope scope)
    {
        StackGuard.Ensure();
        var dict = new JinjaDict();
        foreach (var (key, value) in items)
        {
            dict[PyOps.ToKey(key.Eval(scope))] = value.Eval(scope);
        }

        return dict;
    }
}

internal sealed class AttrExpr(Expr target, string name) : Expr
{
    public Expr Target { get; } = target;

    public string Name { get; } = name;

    public override object? Eval(Scope scope)
    {
        StackGuard.Ensure();
        return PyOps.GetAttr(Target.Eval(scope), Name);
    }
}

internal sealed class ItemExpr(Expr target, Expr key) : Expr
{
    public override object? Eval(Scope scope)
    {
        StackGuard.Ensure();
        return PyOps.GetItem(target.Eval(scope), key.Eval(scope));
    }
}

internal sealed class SliceExpr(Expr target, Expr? start, Expr? stop, Expr? step) : Expr
{
    public override object? Eval(Scope scope)
    {
        StackGuard.Ensure();
        return PyOps.Slice(target.Eval(scope), start?.Eval(scope), stop?.Eval(scope), step?.Eval(scope));
    }
}

internal sealed class UnaryExpr(string op, Expr operand) : Expr
{
    public override object? Eval(Scope scope)
    {
        StackGuard.Ensure();
        var v = operand.Eval(scope);
        return op switch
        {
            "not" => !PyOps.Truthy(v),
            "-" => PyOps.Negate(v),
            _ => PyOps.Plus(v),
        };
    }
}

internal sealed class BinaryExpr(string op, Expr left, Expr right) : Expr
{
    public override object? Eval(Scope scope)
    {
        StackGuard.Ensure();
        switch (op)
        {
            case "and":
                {
                    var l = left.Eval(scope);
                    return PyOps.Truthy(l) ? right.Eval(scope) : l;
                }

            case "or":
                {
                    var l = left.Eval(scope);
                    return PyOps.Truthy(l) ? l : right.Eval(scope);
                }

            default:
                return PyOps.Binary(op, left.Eval(scope), right.Eval(scope));
        }
    }
}

internal sealed class ConcatExpr(List<Expr> parts) : Expr
{
    public override object? Eval(Scope scope)
    {
        StackGuard.Ensure();
        var sb = new StringBuilder();
        foreach (var part in parts)
        {
            var text = PyFormat.Str(part.Eval(scope));
            RenderRoot.EnsureLength((long)sb.Length + text.Length);
            sb.Append(text);
        }

        return sb.ToString();
    }
}

internal sealed class CondExpr(Expr test, Expr then, Expr? otherwise) : Expr
{
    public override object? Eval(Scope scope)
    {
        StackGuard.Ensure();
        return PyOps.Truthy(test.Eval(scope)) ? then.Eval(scope) : otherwise is null ? Undefined.Named("(inline if)") : otherwise.Eval(scope);
    }
}

internal sealed class CallArgExprs
{
    public static readonly CallArgExprs Empty = new();

    public List<Expr> Positional { get; } = [];

    public List<(string Name, Expr Value)> Named { get; } = [];

    public CallArgs Eval(Scope scope)
    {
        var args = new CallArgs();
        foreach (var p in Positional)
        {
            args.Positional.Add(p.Eval(scope));
        }

        foreach (var (name, value) in Named)
        {
            args.Named[name] = value.Eval(scope);
        }

        return args;
    }
}

internal sealed class CallExpr(Expr callee, CallArgExprs args) : Expr
{
    public override object? Eval(Scope scope)
    {
        StackGuard.Ensure();
        var evaluated = args.Eval(scope);
        if (callee is AttrExpr attr)
        {
            // Method calls on built-in values ("s.strip()", "d.get(k)") are resolved without materialising a bound method.
            var target = attr.Target.Eval(scope);
            if (Methods.TryCall(target, attr.Name, evaluated, out var result))
            {
                return result;
            }

            return PyOps.Call(PyOps.GetAttr(target, attr.Name), evaluated, scope.Root);
        }

        return PyOps.Call(callee.Eval(scope), evaluated, scope.Root);
    }
}

internal sealed class FilterExpr(Expr target, string name, CallArgExprs args) : Expr
{
    public string Name { get; } = name;

    public override object? Eval(Scope scope)
    {
        StackGuard.Ensure();
        return Filters.Apply(Name, target.Eval(scope), args.Eval(scope), scope.Root);
    }

    public object? ApplyTo(object? value, Scope scope) => Filters.Apply(Name, value, args.Eval(scope), scope.Root);
}

internal sealed class TestExpr(Expr target, string name, CallArgExprs args, bool negated) : Expr
{
    public override object? Eval(Scope scope)
    {
        StackGuard.Ensure();
        var result = Tests.Apply(name, target.Eval(scope), args.Eval(scope), scope.Root);
        return negated ? !result : result;
    }
}
