namespace Corral.Templates.Jinja;

/// <summary>Global functions of Hugging Face's chat-template environment plus Jinja2's range/dict/namespace.</summary>
internal static class Globals
{
    public static readonly IReadOnlyDictionary<string, object?> Builtins = new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        ["raise_exception"] = new BuiltinFunction("raise_exception", (args, _) =>
            throw new JinjaRaiseException(PyFormat.Str(args.Get(0, "message", "")))),
        ["strftime_now"] = new BuiltinFunction("strftime_now", (args, root) =>
            Strftime.Format(root.Time.GetLocalNow().DateTime, PyFormat.Str(args.Get(0, "format")))),
        ["range"] = new BuiltinFunction("range", (args, _) => Range(args)),
        ["dict"] = new BuiltinFunction("dict", (args, _) => Dict(args)),
        ["namespace"] = new BuiltinFunction("namespace", (args, _) => Namespace(args)),
    };

    private static List<object?> Range(CallArgs args)
    {
        long start = 0, stop, step = 1;
        var p = args.Positional;
        if (p.Count == 1)
        {
            stop = PyOps.ToLong(p[0]);
        }
        else if (p.Count >= 2)
        {
            start = PyOps.ToLong(p[0]);
            stop = PyOps.ToLong(p[1]);
            step = p.Count > 2 ? PyOps.ToLong(p[2]) : 1;
        }
        else
        {
            throw new JinjaException("range expected at least 1 argument");
        }

        if (step == 0)
        {
            throw new JinjaException("range() arg 3 must not be zero");
        }

        var result = new List<object?>();
        for (var i = start; step > 0 ? i < stop : i > stop; i += step)
        {
            if (result.Count > 100_000)
            {
                throw new JinjaException("range too big");
            }

            result.Add(i);
        }

        return result;
    }

    private static JinjaDict Dict(CallArgs args)
    {
        var dict = new JinjaDict();
        if (args.Positional.Count > 0 && args.Positional[0] is JinjaDict source)
        {
            foreach (var (k, v) in source)
            {
                dict[k] = v;
            }
        }

        foreach (var (k, v) in args.Named)
        {
            dict[k] = v;
        }

        return dict;
    }

    private static JinjaNamespace Namespace(CallArgs args)
    {
        var ns = new JinjaNamespace();
        if (args.Positional.Count > 0 && args.Positional[0] is JinjaDict source)
        {
            foreach (var (k, v) in source)
            {
                ns.Attributes[PyFormat.Str(k)] = v;
            }
        }

        foreach (var (k, v) in args.Named)
        {
            ns.Attributes[k] = v;
        }

        return ns;
    }
}
