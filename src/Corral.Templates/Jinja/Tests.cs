namespace Corral.Templates.Jinja;

/// <summary>Jinja2's tests (<c>x is defined</c>, <c>x is string</c>, ...).</summary>
internal static class Tests
{
    public static bool Apply(string name, object? v, CallArgs args, RenderRoot root)
    {
        var arg = args.Positional.Count > 0 ? args.Positional[0] : null;
        return name switch
        {
            "defined" => v is not Undefined,
            "undefined" => v is Undefined,
            "none" => v is null,
            "string" => v is string,
            "number" => v is long or double or bool,
            "integer" => v is long,
            "float" => v is double,
            "boolean" => v is bool,
            "true" => v is true,
            "false" => v is false,
            "mapping" => v is JinjaDict,
            // Jinja2's Undefined defines __iter__ and __len__, so it counts as iterable and as a sequence.
            "iterable" => v is string or IList<object?> or JinjaDict or Undefined,
            "sequence" => v is string or IList<object?> or JinjaDict or Undefined,
            "callable" => v is IJinjaCallable or BoundMethod,
            "even" => PyOps.ToLong(v) % 2 == 0,
            "odd" => PyOps.ToLong(v) % 2 != 0,
            "divisibleby" => PyOps.ToLong(v) % PyOps.ToLong(arg) == 0,
            "eq" or "equalto" or "==" => PyOps.PyEquals(v, arg),
            "ne" or "!=" => !PyOps.PyEquals(v, arg),
            "lt" or "lessthan" or "<" => PyOps.Compare(v, arg) < 0,
            "le" or "<=" => PyOps.Compare(v, arg) <= 0,
            "gt" or "greaterthan" or ">" => PyOps.Compare(v, arg) > 0,
            "ge" or ">=" => PyOps.Compare(v, arg) >= 0,
            "in" => PyOps.Contains(arg, v),
            "sameas" => v is null ? arg is null : v is bool b ? arg is bool ab && ab == b : ReferenceEquals(v, arg),
            "lower" => v is string s && s.AsSpan().SequenceEqual(s.ToLowerInvariant()),
            "upper" => v is string u && u.AsSpan().SequenceEqual(u.ToUpperInvariant()),
            "filter" => arg is string f && Filters.Exists(f),
            "test" => arg is string t && Exists(t),
            _ => throw new JinjaException($"no test named '{name}'"),
        };
    }

    public static bool Exists(string name)
    {
        try
        {
            Apply(name, 0L, new CallArgs { Positional = { 1L } }, new RenderRoot(new Dictionary<string, object?>(), TimeProvider.System));
            return true;
        }
        catch (JinjaException e) when (e.Message.StartsWith("no test", StringComparison.Ordinal))
        {
            return false;
        }
        catch (JinjaException)
        {
            return true;
        }
    }
}
