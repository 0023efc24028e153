namespace Corral.Templates.Jinja;

/// <summary>The Python methods of str, dict and list that chat templates call (read-only: the sandbox forbids mutation).</summary>
internal static class Methods
{
    private static readonly HashSet<string> StringMethods =
    [
        "strip", "lstrip", "rstrip", "split", "rsplit", "startswith", "endswith", "upper", "lower", "replace", "title",
        "capitalize", "find", "rfind", "index", "count", "join", "format", "splitlines", "isdigit", "isalpha",
        "isspace", "islower", "isupper", "removeprefix", "removesuffix", "casefold", "swapcase",
    ];

    private static readonly HashSet<string> DictMethods = ["get", "items", "keys", "values", "copy"];

    private static readonly HashSet<string> ListMethods = ["index", "count", "copy"];

    public static bool IsDictMethod(string name) => DictMethods.Contains(name);

    public static bool HasMethod(object? target, string name) => target switch
    {
        string => StringMethods.Contains(name),
        IList<object?> => ListMethods.Contains(name),
        JinjaDict => DictMethods.Contains(name),
        _ => false,
    };

    public static bool TryCall(object? target, string name, CallArgs args, out object? result)
    {
        switch (target)
        {
            case string s when StringMethods.Contains(name):
                result = CallString(s, name, args);
                return true;
            case JinjaDict d when DictMethods.Contains(name):
                result = CallDict(d, name, args);
                return true;
            case IList<object?> l when ListMethods.Contains(name):
                result = CallList(l, name, args);
                return true;
            case LoopContext loop when name == "cycle":
                result = loop.Cycle(args);
                return true;
            case Undefined u:
                throw new JinjaException(u.Name.Length == 0 ? $"undefined value has no attribute '{name}'" : $"'{u.Name}' is undefined");
            default:
                result = null;
                return false;
        }
    }

    private static object? CallDict(JinjaDict d, string name, CallArgs args)
    {
        switch (name)
        {
            case "get":
                return d.TryGetValue(PyOps.ToKey(args.Get(0, "key")), out var v) ? v : args.Get(1, "default");
            case "items":
                return d.Select(p => (object?)new object?[] { p.Key is NoneKey ? null : p.Key, p.Value }).ToList();
            case "keys":
                return d.Keys.Select(k => k is NoneKey ? null : k).ToList();
            case "values":
                return d.Values.ToList();
            default:
                var copy = new JinjaDict(d.Count);
                foreach (var (k, value) in d)
                {
                    copy[k] = value;
                }

                return copy;
        }
    }

    private static object? CallList(IList<object?> l, string name, CallArgs args)
    {
        var item = args.Get(0, "value");
        switch (name)
        {
            case "count":
                return (long)l.Count(x => PyOps.PyEquals(x, item));
            case "index":
                for (var i = 0; i < l.Count; i++)
                {
                    if (PyOps.PyEquals(l[i], item))
                    {
                        return (long)i;
                    }
                }

                throw new JinjaException("value is not in list");
            default:
                return new List<object?>(l);
        }
    }

    private static string? OptString(CallArgs args, int index, string name)
    {
        var v = args.Get(index, name);
        return v is null or Undefined ? null : v as string ?? throw new JinjaException($"{name} must be str or None");
    }

    private static object? CallString(string s, string name, CallArgs args)
    {
        switch (name)
        {
            case "strip": return OptString(args, 0, "chars") is { } c1 ? s.Trim(c1.ToCharArray()) : s.Trim();
            case "lstrip": return OptString(args, 0, "chars") is { } c2 ? s.TrimStart(c2.ToCharArray()) : s.TrimStart();
            case "rstrip": return OptString(args, 0, "chars") is { } c3 ? s.TrimEnd(c3.ToCharArray()) : s.TrimEnd();
            case "upper": return s.ToUpperInvariant();
            case "lower" or "casefold": return s.ToLowerInvariant();
            case "title": return Title(s);
            case "capitalize": return s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..].ToLowerInvariant();
            case "swapcase": return new string(s.Select(ch => char.IsUpper(ch) ? char.ToLowerInvariant(ch) : char.ToUpperInvariant(ch)).ToArray());
            case "startswith": return Affix(s, args.Get(0, "prefix"), prefix: true);
            case "endswith": return Affix(s, args.Get(0, "suffix"), prefix: false);
            case "removeprefix": return args.Get(0, "prefix") is string p && s.StartsWith(p, StringComparison.Ordinal) ? s[p.Length..] : s;
            case "removesuffix": return args.Get(0, "suffix") is string x && x.Length > 0 && s.EndsWith(x, StringComparison.Ordinal) ? s[..^x.Length] : s;
            case "replace":
                {
                    var old = (string)args.Get(0, "old")!;
                    var replacement = (string)args.Get(1, "new")!;
                    var count = args.Get(2, "count") is long n ? n : -1;
                    return Replace(s, old, replacement, count);
                }

            case "find": return (long)s.IndexOf(Str(args.Get(0, "sub")), StringComparison.Ordinal);
            case "rfind": return (long)s.LastIndexOf(Str(args.Get(0, "sub")), StringComparison.Ordinal);
            case "index":
                {
                    var i = s.IndexOf(Str(args.Get(0, "sub")), StringComparison.Ordinal);
                    return i >= 0 ? (long)i : throw new JinjaException("substring not found");
                }

            case "count":
                {
                    var sub = Str(args.Get(0, "sub"));
                    if (sub.Length == 0)
                    {
                        return (long)s.Length + 1;
                    }

                    long n = 0;
                    for (var i = s.IndexOf(sub, StringComparison.Ordinal); i >= 0; i = s.IndexOf(sub, i + sub.Length, StringComparison.Ordinal))
                    {
                        n++;
                    }

                    return n;
                }

            case "split": return Split(s, OptString(args, 0, "sep"), args.Get(1, "maxsplit") is long m ? m : -1);
            case "rsplit": return RSplit(s, OptString(args, 0, "sep"), args.Get(1, "maxsplit") is long rm ? rm : -1);
            case "splitlines": return s.Split('\n').Select(l => (object?)l.TrimEnd('\r')).Take(s.EndsWith('\n') ? s.Split('\n').Length - 1 : int.MaxValue).ToList();
            case "join": return string.Join(s, PyOps.Iterate(args.Get(0, "iterable")).Select(PyFormat.Str));
            case "format": return Format(s, args);
            case "isdigit": return s.Length > 0 && s.All(char.IsDigit);
            case "isalpha": return s.Length > 0 && s.All(char.IsLetter);
            case "isspace": return s.Length > 0 && s.All(char.IsWhiteSpace);
            case "islower": return s.Any(char.IsLetter) && !s.Any(char.IsUpper);
            default: return s.Any(char.IsLetter) && !s.Any(char.IsLower);
        }
    }

    private static string Str(object? v) => v as string ?? throw new JinjaException("must be str");

    private static bool Affix(string s, object? affix, bool prefix)
    {
        if (affix is IList<object?> options)
        {
            return options.Any(o => Affix(s, o, prefix));
        }

        var a = Str(affix);
        return prefix ? s.StartsWith(a, StringComparison.Ordinal) : s.EndsWith(a, StringComparison.Ordinal);
    }

    public static string Replace(string s, string old, string replacement, long count)
    {
        if (count < 0)
        {
            return old.Length == 0 ? InsertEverywhere(s, replacement) : ReplaceAll(s, old, replacement);
        }

        var sb = new StringBuilder();
        var pos = 0;
        for (var n = 0; n < count && old.Length > 0; n++)
        {
            var i = s.IndexOf(old, pos, StringComparison.Ordinal);
            if (i < 0)
            {
                break;
            }

            sb.Append(s, pos, i - pos).Append(replacement);
            RenderRoot.EnsureLength(sb.Length);
            pos = i + old.Length;
        }

        return sb.Append(s, pos, s.Length - pos).ToString();
    }

    /// <summary>str.replace of every occurrence, refused before it is built when the result would be too large.</summary>
    private static string ReplaceAll(string s, string old, string replacement)
    {
        if (replacement.Length > old.Length)
        {
            long occurrences = 0;
            for (var i = s.IndexOf(old, StringComparison.Ordinal); i >= 0; i = s.IndexOf(old, i + old.Length, StringComparison.Ordinal))
            {
                occurrences++;
            }

            RenderRoot.EnsureLength(s.Length + (occurrences * (replacement.Length - old.Length)));
        }

        return s.Replace(old, replacement, StringComparison.Ordinal);
    }

    private static string InsertEverywhere(string s, string insert)
    {
        RenderRoot.EnsureLength(s.Length + ((s.Length + 1L) * insert.Length));
        var sb = new StringBuilder(insert);
        foreach (var c in s)
        {
            sb.Append(c).Append(insert);
        }

        return sb.ToString();
    }

    /// <summary>Python's str.title(): a letter after a non-letter is upper-cased, every other letter lower-cased.</summary>
    public static string Title(string s)
    {
        var chars = s.ToCharArray();
        var previousIsLetter = false;
        for (var i = 0; i < chars.Length; i++)
        {
            var isLetter = char.IsLetter(chars[i]);
            chars[i] = isLetter ? previousIsLetter ? char.ToLowerInvariant(chars[i]) : char.ToUpperInvariant(chars[i]) : chars[i];
            previousIsLetter = isLetter;
        }

        return new string(chars);
    }

    public static List<object?> Split(string s, string? sep, long maxSplit)
    {
        var result = new List<object?>();
        if (sep is null)
        {
            var i = 0;
            while (true)
            {
                while (i < s.Length && char.IsWhiteSpace(s[i]))
                {
                    i++;
                }

                if (i >= s.Length)
                {
                    break;
                }

                if (maxSplit >= 0 && result.Count == maxSplit)
                {
                    result.Add(s[i..].TrimEnd());
                    break;
                }

                var start = i;
                while (i < s.Length && !char.IsWhiteSpace(s[i]))
                {
                    i++;
                }

                result.Add(s[start..i]);
            }

            return result;
        }

        if (sep.Length == 0)
        {
            throw new JinjaException("empty separator");
        }

        var pos = 0;
        while (maxSplit < 0 || result.Count < maxSplit)
        {
            var i = s.IndexOf(sep, pos, StringComparison.Ordinal);
            if (i < 0)
            {
                break;
            }

            result.Add(s[pos..i]);
            pos = i + sep.Length;
        }

        result.Add(s[pos..]);
        return result;
    }

    private static List<object?> RSplit(string s, string? sep, long maxSplit)
    {
        if (maxSplit < 0 || sep is null)
        {
            return Split(s, sep, maxSplit);
        }

        var result = new List<object?>();
        var end = s.Length;
        while (result.Count < maxSplit)
        {
            var i = end == 0 ? -1 : s.LastIndexOf(sep, end - 1, StringComparison.Ordinal);
            if (i < 0 || i + sep.Length > end)
            {
                break;
            }

            result.Insert(0, s[(i + sep.Length)..end]);
            end = i;
        }

        result.Insert(0, s[..end]);
        return result;
    }

    /// <summary>str.format with "{}", "{0}" and "{name}" fields (no format specs beyond plain str()).</summary>
    private static string Format(string s, CallArgs args)
    {
        var sb = new StringBuilder();
        var auto = 0;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '{' && i + 1 < s.Length && s[i + 1] == '{')
            {
                sb.Append('{');
                i++;
            }
            else if (c == '}' && i + 1 < s.Length && s[i + 1] == '}')
            {
                sb.Append('}');
                i++;
            }
            else if (c == '{')
            {
                var close = s.IndexOf('}', i);
                if (close < 0)
                {
                    throw new JinjaException("Single '{' encountered in format string");
                }

                var field = s[(i + 1)..close];
                var colon = field.IndexOf(':');
                if (colon >= 0)
                {
                    field = field[..colon];
                }

                object? value = field.Length == 0 ? args.Positional[auto++]
                    : int.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? args.Positional[index]
                    : args.Named.TryGetValue(field, out var named) ? named : throw new JinjaException($"KeyError: '{field}'");
                PyFormat.AppendStr(sb, value);
                i = close;
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
