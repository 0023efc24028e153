namespace Corral.Templates.Jinja;

/// <summary>Python semantics of the values a template handles (None, bool, int, float, str, list, tuple, dict).</summary>
internal static class PyOps
{
    public static bool Truthy(object? v) => v switch
    {
        null or Undefined => false,
        bool b => b,
        long l => l != 0,
        double d => d != 0,
        string s => s.Length > 0,
        IList<object?> list => list.Count > 0,
        JinjaDict dict => dict.Count > 0,
        _ => true,
    };

    public static string TypeName(object? v) => v switch
    {
        null => "NoneType",
        Undefined => "Undefined",
        bool => "bool",
        long => "int",
        double => "float",
        string => "str",
        object?[] => "tuple",
        IList<object?> => "list",
        JinjaDict => "dict",
        JinjaNamespace => "Namespace",
        _ => "object",
    };

    public static object ToKey(object? v) => v switch
    {
        null => NoneKey.Instance,
        Undefined u => throw u.Fail(),
        _ => v,
    };

    public static bool IsNumber(object? v) => v is long or double or bool;

    public static double ToDouble(object? v) => v switch
    {
        long l => l,
        double d => d,
        bool b => b ? 1 : 0,
        _ => throw new JinjaException($"expected a number, got {TypeName(v)}"),
    };

    public static bool PyEquals(object? a, object? b)
    {
        StackGuard.Ensure();
        if (a is NoneKey)
        {
            a = null;
        }

        if (b is NoneKey)
        {
            b = null;
        }

        switch (a)
        {
            case null: return b is null;
            case Undefined: return b is Undefined;
            case string sa: return b is string sb && sa == sb;
        }

        if (IsNumber(a) && IsNumber(b))
        {
            return a is double || b is double ? ToDouble(a) == ToDouble(b) : ToLong(a) == ToLong(b);
        }

        if (a is IList<object?> la && b is IList<object?> lb && (a is object?[]) == (b is object?[]))
        {
            if (la.Count != lb.Count)
            {
                return false;
            }

            for (var i = 0; i < la.Count; i++)
            {
                if (!PyEquals(la[i], lb[i]))
                {
                    return false;
                }
            }

            return true;
        }

        if (a is JinjaDict da && b is JinjaDict db)
        {
            if (da.Count != db.Count)
            {
                return false;
            }

            foreach (var (k, v) in da)
            {
                if (!db.TryGetValue(k, out var other) || !PyEquals(v, other))
                {
                    return false;
                }
            }

            return true;
        }

        return ReferenceEquals(a, b);
    }

    public static long ToLong(object? v) => v switch
    {
        long l => l,
        bool b => b ? 1 : 0,
        double d => (long)d,
        _ => throw new JinjaException($"expected an integer, got {TypeName(v)}"),
    };

    public static int Compare(object? a, object? b)
    {
        StackGuard.Ensure();
        if (IsNumber(a) && IsNumber(b))
        {
            return a is double || b is double ? ToDouble(a).CompareTo(ToDouble(b)) : ToLong(a).CompareTo(ToLong(b));
        }

        if (a is string sa && b is string sb)
        {
            return string.CompareOrdinal(sa, sb);
        }

        if (a is IList<object?> la && b is IList<object?> lb)
        {
            for (var i = 0; i < Math.Min(la.Count, lb.Count); i++)
            {
                var c = Compare(la[i], lb[i]);
                if (c != 0)
                {
                    return c;
                }
            }

            return la.Count.CompareTo(lb.Count);
        }

        if (a is Undefined u)
        {
            throw u.Fail();
        }

        if (b is Undefined ub)
        {
            throw ub.Fail();
        }

        throw new JinjaException($"'<' not supported between instances of '{TypeName(a)}' and '{TypeName(b)}'");
    }

    public static object? Binary(string op, object? a, object? b)
    {
        switch (op)
        {
            case "==": return PyEquals(a, b);
            case "!=": return !PyEquals(a, b);
            case "<": return Compare(a, b) < 0;
            case "<=": return Compare(a, b) <= 0;
            case ">": return Compare(a, b) > 0;
            case ">=": return Compare(a, b) >= 0;
            case "in": return Contains(b, a);
            case "notin": return !Contains(b, a);
        }

        if (a is Undefined ua)
        {
            throw ua.Fail();
        }

        if (b is Undefined ub)
        {
            throw ub.Fail();
        }

        if (op == "+")
        {
            switch (a)
            {
                case string sa when b is string sb:
                    RenderRoot.EnsureLength((long)sa.Length + sb.Length);
                    return sa + sb;
                case object?[] ta when b is object?[] tb: return ta.Concat(tb).ToArray();
                case List<object?> la when b is List<object?> lb:
                    {
                        var list = new List<object?>(la.Count + lb.Count);
                        list.AddRange(la);
                        list.AddRange(lb);
                        return list;
                    }
            }
        }

        if (op == "*")
        {
            if (a is string s && b is long or bool)
            {
                return Repeat(s, ToLong(b));
            }

            if (b is string s2 && a is long or bool)
            {
                return Repeat(s2, ToLong(a));
            }

            if (a is List<object?> list && b is long n)
            {
                if (n <= 0 || list.Count == 0)
                {
                    return new List<object?>();
                }

                if (n > MaxRepeatedItems / list.Count)
                {
                    // A GGUF's template is untrusted: [0] * 10**9 would take the process's memory.
                    throw new JinjaException("list repetition too large");
                }

                var result = new List<object?>();
                for (var i = 0; i < n; i++)
                {
                    result.AddRange(list);
                }

                return result;
            }
        }

        if (op == "%" && a is string format)
        {
            return PyFormat.Percent(format, b);
        }

        if (!IsNumber(a) || !IsNumber(b))
        {
            throw new JinjaException($"unsupported operand type(s) for {op}: '{TypeName(a)}' and '{TypeName(b)}'");
        }

        var isFloat = a is double || b is double;
        if (op == "/")
        {
            var d = ToDouble(b);
            return d == 0 ? throw new JinjaException("division by zero") : ToDouble(a) / d;
        }

        if (isFloat)
        {
            double x = ToDouble(a), y = ToDouble(b);
            return op switch
            {
                "+" => x + y,
                "-" => x - y,
                "*" => x * y,
                "//" => y == 0 ? throw new JinjaException("division by zero") : Math.Floor(x / y),
                "%" => y == 0 ? throw new JinjaException("modulo by zero") : x - (y * Math.Floor(x / y)),
                "**" => Math.Pow(x, y),
                _ => throw new JinjaException($"unknown operator {op}"),
            };
        }

        long p = ToLong(a), q = ToLong(b);
        return op switch
        {
            "+" => p + q,
            "-" => p - q,
            "*" => p * q,
            "//" => q == 0 ? throw new JinjaException("division by zero") : FloorDiv(p, q),
            "%" => q == 0 ? throw new JinjaException("modulo by zero") : p - (q * FloorDiv(p, q)),
            "**" => q >= 0 ? (object)(long)Math.Pow(p, q) : Math.Pow(p, q),
            _ => throw new JinjaException($"unknown operator {op}"),
        };
    }

    private static long FloorDiv(long p, long q)
    {
        var d = p / q;
        return (p % q != 0) && ((p < 0) != (q < 0)) ? d - 1 : d;
    }

    /// <summary>The largest string <c>'x' * n</c> may build, in characters (a prompt is far smaller).</summary>
    private const long MaxRepeatedChars = 16L * 1024 * 1024;

    /// <summary>The largest list <c>[x] * n</c> may build (as <c>range</c> is bounded).</summary>
    private const long MaxRepeatedItems = 100_000;

    private static string Repeat(string s, long n)
    {
        if (n <= 0 || s.Length == 0)
        {
            return string.Empty; // and '' * 10**15 is not ten quadrillion appends of nothing
        }

        if (n > MaxRepeatedChars / s.Length)
        {
            // A GGUF's template is untrusted: 'a' * 10**15 took all memory and killed the server.
            throw new JinjaException("string repetition too large");
        }

        var sb = new StringBuilder();
        for (var i = 0; i < n; i++)
        {
            sb.Append(s);
        }

        return sb.ToString();
    }

    public static object? Negate(object? v) => v switch
    {
        long l => (object)(-l),
        double d => -d,
        bool b => b ? -1L : 0L,
        Undefined u => throw u.Fail(),
        _ => throw new JinjaException($"bad operand type for unary -: '{TypeName(v)}'"),
    };

    public static object? Plus(object? v) => IsNumber(v) ? v is bool b ? (b ? 1L : 0L) : v : throw new JinjaException($"bad operand type for unary +: '{TypeName(v)}'");

    public static bool Contains(object? container, object? item) => container switch
    {
        string s => item is string sub ? s.Contains(sub, StringComparison.Ordinal) : throw new JinjaException($"'in <string>' requires string as left operand, not {TypeName(item)}"),
        IList<object?> list => list.Any(x => PyEquals(x, item)),
        JinjaDict dict => dict.ContainsKey(ToKey(item)),
        Undefined => false,
        _ => throw new JinjaException($"argument of type '{TypeName(container)}' is not iterable"),
    };

    public static object? GetAttr(object? target, string name)
    {
        switch (target)
        {
            case Undefined u:
                throw new JinjaException(u.Name.Length == 0 ? $"undefined value has no attribute '{name}'" : $"'{u.Name}' is undefined");
            case JinjaDict dict:
                if (Methods.IsDictMethod(name))
                {
                    return new BoundMethod(dict, name);
                }

                return dict.TryGetValue(name, out var value) ? value : Undefined.Named(name);
            case JinjaNamespace ns:
                return ns.Attributes.TryGetValue(name, out var attr) ? attr : Undefined.Named(name);
            case LoopContext loop:
                return name == "cycle" ? new BoundMethod(loop, name) : loop.Get(name);
            case string or IList<object?> when Methods.HasMethod(target, name):
                return new BoundMethod(target, name);
            default:
                return Undefined.Named(name);
        }
    }

    public static object? GetItem(object? target, object? key)
    {
        switch (target)
        {
            case Undefined u:
                throw u.Fail();
            case JinjaDict dict:
                if (dict.TryGetValue(ToKey(key), out var value))
                {
                    return value;
                }

                return key is string name && Methods.IsDictMethod(name) ? new BoundMethod(dict, name) : Undefined.Named(key is string n ? n : PyFormat.Str(key));
            case IList<object?> list when IsNumber(key):
                {
                    var i = ToLong(key);
                    if (i < 0)
                    {
                        i += list.Count;
                    }

                    return i >= 0 && i < list.Count ? list[(int)i] : Undefined.Named("list index out of range");
                }

            case string s when IsNumber(key):
                {
                    var i = ToLong(key);
                    if (i < 0)
                    {
                        i += s.Length;
                    }

                    return i >= 0 && i < s.Length ? s[(int)i].ToString() : Undefined.Named("string index out of range");
                }

            case JinjaNamespace or LoopContext when key is string attr:
                return GetAttr(target, attr);
            default:
                return Undefined.Named(PyFormat.Str(key));
        }
    }

    public static object? Slice(object? target, object? start, object? stop, object? step)
    {
        if (target is Undefined u)
        {
            throw u.Fail();
        }

        var length = target switch
        {
            string s => s.Length,
            IList<object?> l => l.Count,
            _ => throw new JinjaException($"'{TypeName(target)}' object is not subscriptable"),
        };
        var st = step is null or Undefined ? 1 : ToLong(step);
        if (st == 0)
        {
            throw new JinjaException("slice step cannot be zero");
        }

        long Bound(object? v, long dflt, long lo, long hi)
        {
            if (v is null or Undefined)
            {
                return dflt;
            }

            var x = ToLong(v);
            if (x < 0)
            {
                x += length;
            }

            return Math.Clamp(x, lo, hi);
        }

        long begin, end;
        if (st > 0)
        {
            begin = Bound(start, 0, 0, length);
            end = Bound(stop, length, 0, length);
        }
        else
        {
            begin = Bound(start, length - 1, -1, length - 1);
            end = Bound(stop, -1, -1, length - 1);
        }

        var indexes = new List<int>();
        for (var i = begin; st > 0 ? i < end : i > end; i += st)
        {
            indexes.Add((int)i);
        }

        switch (target)
        {
            case string s:
                {
                    var sb = new StringBuilder(indexes.Count);
                    foreach (var i in indexes)
                    {
                        sb.Append(s[i]);
                    }

                    return sb.ToString();
                }

            case object?[] tuple:
                return indexes.Select(i => tuple[i]).ToArray();
            default:
                {
                    var list = (IList<object?>)target;
                    var result = new List<object?>(indexes.Count);
                    foreach (var i in indexes)
                    {
                        result.Add(list[i]);
                    }

                    return result;
                }
        }
    }

    public static object? Call(object? callee, CallArgs args, RenderRoot root) => callee switch
    {
        IJinjaCallable f => f.Call(args, root),
        BoundMethod m => Methods.TryCall(m.Target, m.Name, args, out var result) ? result : throw new JinjaException($"unknown method {m.Name}"),
        Undefined u => throw new JinjaException(u.Name.Length == 0 ? "undefined value is not callable" : $"'{u.Name}' is undefined"),
        _ => throw new JinjaException($"'{TypeName(callee)}' object is not callable"),
    };

    /// <summary>What a for loop or a filter sees when it iterates a value.</summary>
    public static IReadOnlyList<object?> Iterate(object? v) => v switch
    {
        IList<object?> list => list as IReadOnlyList<object?> ?? [.. list],
        JinjaDict dict => [.. dict.Keys.Select(k => k is NoneKey ? null : k)],
        string s => [.. s.Select(c => (object?)c.ToString())],
        Undefined => [],
        _ => throw new JinjaException($"'{TypeName(v)}' object is not iterable"),
    };

    public static long Length(object? v) => v switch
    {
        string s => s.Length,
        IList<object?> list => list.Count,
        JinjaDict dict => dict.Count,
        Undefined => 0,
        _ => throw new JinjaException($"object of type '{TypeName(v)}' has no len()"),
    };
}

/// <summary>None used as a dict key (dictionaries cannot hold a null key).</summary>
internal sealed class NoneKey
{
    public static readonly NoneKey Instance = new();

    public override int GetHashCode() => 0;
}

/// <summary>A method looked up as an attribute ("d.get") and called later.</summary>
internal sealed record BoundMethod(object Target, string Name);
