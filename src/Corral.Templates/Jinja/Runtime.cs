namespace Corral.Templates.Jinja;

/// <summary>Jinja2's default Undefined: prints as "", is falsy and iterates as empty; attribute access fails.</summary>
internal sealed class Undefined
{
    public static readonly Undefined Instance = new("");

    private Undefined(string name) => Name = name;

    public string Name { get; }

    public static Undefined Named(string name) => new(name);

    public JinjaException Fail() =>
        new(Name.Length == 0 ? "value is undefined" : $"'{Name}' is undefined");
}

/// <summary>A Python dict: insertion-ordered, keys compared with Python equality (1 == 1.0, "a" != 1).</summary>
internal sealed class JinjaDict : OrderedDictionary<object, object?>
{
    public JinjaDict() : base(PyKeyComparer.Instance)
    {
    }

    public JinjaDict(int capacity) : base(capacity, PyKeyComparer.Instance)
    {
    }
}

internal sealed class PyKeyComparer : IEqualityComparer<object>
{
    public static readonly PyKeyComparer Instance = new();

    public new bool Equals(object? x, object? y) => PyOps.PyEquals(x, y);

    public int GetHashCode(object obj) => obj switch
    {
        string s => s.GetHashCode(StringComparison.Ordinal),
        bool b => b ? 1 : 0,
        long l => l.GetHashCode(),
        double d when d == Math.Floor(d) && Math.Abs(d) < 9e18 => ((long)d).GetHashCode(),
        _ => obj.GetHashCode(),
    };
}

/// <summary>The object <c>namespace()</c> returns: the one thing a loop body may assign to for outer scopes.</summary>
internal sealed class JinjaNamespace
{
    public Dictionary<string, object?> Attributes { get; } = new(StringComparer.Ordinal);
}

/// <summary>A function value: a global such as raise_exception, or a macro.</summary>
internal interface IJinjaCallable
{
    object? Call(CallArgs args, RenderRoot root);
}

internal sealed class BuiltinFunction(string name, Func<CallArgs, RenderRoot, object?> body) : IJinjaCallable
{
    public string Name { get; } = name;

    public object? Call(CallArgs args, RenderRoot root) => body(args, root);
}

/// <summary>Arguments of a call, a filter or a test (the value being filtered is not among them).</summary>
internal sealed class CallArgs
{
    public List<object?> Positional { get; } = [];

    public Dictionary<string, object?> Named { get; } = new(StringComparer.Ordinal);

    public object? Get(int index, string name, object? fallback = null)
    {
        if (Named.TryGetValue(name, out var named))
        {
            return named;
        }

        return index < Positional.Count ? Positional[index] : fallback;
    }

    public bool Has(int index, string name) => Named.ContainsKey(name) || index < Positional.Count;
}

/// <summary>Variables of one frame; for loops and macro calls get their own frame, if blocks do not.</summary>
internal sealed class Scope(RenderRoot root, Scope? parent)
{
    private Dictionary<string, object?>? _vars;

    public RenderRoot Root { get; } = root;

    public Scope? Parent { get; } = parent;

    public object? Lookup(string name)
    {
        for (var s = this; s is not null; s = s.Parent)
        {
            if (s._vars is not null && s._vars.TryGetValue(name, out var value))
            {
                return value;
            }
        }

        return Root.Globals.TryGetValue(name, out var global) ? global : Undefined.Named(name);
    }

    public void Set(string name, object? value) => (_vars ??= new Dictionary<string, object?>(StringComparer.Ordinal))[name] = value;
}

internal enum LoopSignal
{
    None,
    Break,
    Continue,
}

/// <summary>State of one render: the globals and the break/continue signal of the innermost loop.</summary>
internal sealed class RenderRoot(IReadOnlyDictionary<string, object?> globals, TimeProvider time, CancellationToken cancellation = default)
{
    public IReadOnlyDictionary<string, object?> Globals { get; } = globals;

    public TimeProvider Time { get; } = time;

    /// <summary>Checked at every loop iteration and macro call: the only ways a template can run for long.</summary>
    public CancellationToken Cancellation { get; } = cancellation;

    /// <summary>
    /// The most characters a render may produce or build into one string: a GGUF's template is untrusted, and a loop
    /// that doubles a string or prints a long one a hundred thousand times would take the server's memory. Far above
    /// any prompt (a request body is bounded well below it).
    /// </summary>
    public const int MaxChars = 256 * 1024 * 1024;

    /// <summary>Called at every loop iteration and macro call, and where strings are joined.</summary>
    /// <exception cref="OperationCanceledException">The render was cancelled or ran out of time.</exception>
    /// <exception cref="JinjaException"><paramref name="length"/> is over <see cref="MaxChars"/>.</exception>
    public void Check(long length)
    {
        Cancellation.ThrowIfCancellationRequested();
        EnsureLength(length);
    }

    /// <exception cref="JinjaException"><paramref name="length"/> is over <see cref="MaxChars"/>.</exception>
    public static void EnsureLength(long length)
    {
        if (length > MaxChars)
        {
            throw new JinjaException($"template output too large (over {MaxChars / (1024 * 1024)} Mi characters)");
        }
    }

    public LoopSignal Signal { get; set; }

    public int Depth { get; set; }
}

/// <summary>The <c>loop</c> variable inside a for loop.</summary>
internal sealed class LoopContext(IReadOnlyList<object?> items, int depth)
{
    public int Index0 { get; set; }

    public int Length => items.Count;

    public int Depth => depth;

    public object? Get(string name) => name switch
    {
        "index" => (long)Index0 + 1,
        "index0" => (long)Index0,
        "revindex" => (long)(Length - Index0),
        "revindex0" => (long)(Length - Index0 - 1),
        "first" => Index0 == 0,
        "last" => Index0 == Length - 1,
        "length" => (long)Length,
        "depth" => (long)depth,
        "depth0" => (long)depth - 1,
        "previtem" => Index0 > 0 ? items[Index0 - 1] : Undefined.Named("previtem"),
        "nextitem" => Index0 + 1 < Length ? items[Index0 + 1] : Undefined.Named("nextitem"),
        _ => Undefined.Named(name),
    };

    public object? Cycle(CallArgs args) =>
        args.Positional.Count == 0 ? throw new JinjaException("no items for cycling given") : args.Positional[Index0 % args.Positional.Count];
}
