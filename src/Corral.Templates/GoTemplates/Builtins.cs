namespace Corral.Templates.GoTemplates;

/// <summary>text/template's predefined functions (and/or are handled lazily by the executor).</summary>
internal static class Builtins
{
    public static readonly IReadOnlyDictionary<string, TemplateFunction> Functions = new Dictionary<string, TemplateFunction>(StringComparer.Ordinal)
    {
        ["and"] = _ => TemplateValue.Nil,
        ["or"] = _ => TemplateValue.Nil,
        ["not"] = args =>
        {
            TemplateArityException.Require(args, 1);
            return TemplateValue.FromBool(!args[0].IsTrue);
        },
        ["len"] = Length,
        ["index"] = Index,
        ["slice"] = Slice,
        ["print"] = args => TemplateValue.FromString(GoFormat.Sprint(args)),
        ["println"] = args => TemplateValue.FromString(GoFormat.Sprintln(args)),
        ["printf"] = args =>
        {
            TemplateArityException.RequireAtLeast(args, 1);
            if (args[0].Kind != TemplateKind.String)
            {
                throw new TemplateFunctionException($"wrong type for value; expected string; got {args[0].GoTypeName}");
            }
            return TemplateValue.FromString(GoFormat.Sprintf(args[0].AsString, args[1..]));
        },
        ["html"] = args => TemplateValue.FromString(Escapes.Html(StringArg(args))),
        ["js"] = args => TemplateValue.FromString(Escapes.JavaScript(StringArg(args))),
        ["urlquery"] = args => TemplateValue.FromString(Escapes.UrlQuery(StringArg(args))),
        ["eq"] = Equal,
        ["ne"] = args =>
        {
            TemplateArityException.Require(args, 2);
            return TemplateValue.FromBool(!Equal(args).AsBool);
        },
        ["lt"] = args => TemplateValue.FromBool(Less(args)),
        ["le"] = args => TemplateValue.FromBool(Less(args) || Equal(args).AsBool),
        ["gt"] = args => TemplateValue.FromBool(!Less(args) && !Equal(args).AsBool),
        ["ge"] = args => TemplateValue.FromBool(!Less(args)),
        ["call"] = args =>
        {
            TemplateArityException.RequireAtLeast(args, 1);
            // The data model carries no Go func values, so there is never anything callable.
            throw new TemplateFunctionException(args[0].IsNil ? "call of nil" : $"non-function of type {args[0].GoTypeName}");
        },
    };

    /// <summary>html, js and urlquery take the lone string argument as is, anything else through fmt.Sprint.</summary>
    private static string StringArg(ReadOnlySpan<TemplateValue> args) =>
        args.Length == 1 && args[0].Kind == TemplateKind.String ? args[0].AsString : GoFormat.Sprint(args);

    private static TemplateValue Length(ReadOnlySpan<TemplateValue> args)
    {
        TemplateArityException.Require(args, 1);
        var value = args[0];
        return value.Kind switch
        {
            // Go's len of a string counts UTF-8 bytes.
            TemplateKind.String => TemplateValue.FromInt(Encoding.UTF8.GetByteCount(value.AsString)),
            TemplateKind.List => TemplateValue.FromInt(value.AsList.Count),
            TemplateKind.Map => TemplateValue.FromInt(value.AsMap.Count),
            TemplateKind.Nil => throw new TemplateFunctionException("len of nil pointer"),
            _ => throw new TemplateFunctionException($"len of type {value.GoTypeName}"),
        };
    }

    private static TemplateValue Index(ReadOnlySpan<TemplateValue> args)
    {
        TemplateArityException.RequireAtLeast(args, 1);
        var item = args[0];
        if (item.IsNil)
        {
            throw new TemplateFunctionException("index of untyped nil");
        }
        foreach (var index in args[1..])
        {
            switch (item.Kind)
            {
                case TemplateKind.List:
                    var list = item.AsList;
                    item = list[CheckedIndex(index, list.Count)];
                    break;
                case TemplateKind.String:
                    var bytes = Encoding.UTF8.GetBytes(item.AsString);
                    item = TemplateValue.FromInt(bytes[CheckedIndex(index, bytes.Length)]);
                    break;
                case TemplateKind.Map:
                    if (index.Kind != TemplateKind.String)
                    {
                        throw new TemplateFunctionException($"value has type {index.GoTypeName}; should be string");
                    }
                    item = item.AsMap.TryGetValue(index.AsString, out var found) ? found : TemplateValue.Nil;
                    break;
                case TemplateKind.Nil:
                    throw new TemplateFunctionException("index of nil pointer");
                default:
                    throw new TemplateFunctionException($"can't index item of type {item.GoTypeName}");
            }
        }
        return item;
    }

    private static int CheckedIndex(TemplateValue index, int length)
    {
        if (index.Kind != TemplateKind.Int)
        {
            throw new TemplateFunctionException($"cannot index slice/array with type {index.GoTypeName}");
        }
        var i = index.AsInt;
        if (i < 0 || i >= length)
        {
            throw new TemplateFunctionException($"index out of range: {i}");
        }
        return (int)i;
    }

    private static TemplateValue Slice(ReadOnlySpan<TemplateValue> args)
    {
        TemplateArityException.RequireAtLeast(args, 1);
        var item = args[0];
        if (args.Length > 4)
        {
            throw new TemplateFunctionException($"too many slice indexes: {args.Length - 1}");
        }
        int length;
        switch (item.Kind)
        {
            case TemplateKind.String:
                if (args.Length == 4)
                {
                    throw new TemplateFunctionException("cannot 3-index slice a string");
                }
                length = Encoding.UTF8.GetByteCount(item.AsString);
                break;
            case TemplateKind.List:
                length = item.AsList.Count;
                break;
            case TemplateKind.Nil:
                throw new TemplateFunctionException("slice of untyped nil");
            default:
                throw new TemplateFunctionException($"can't slice item of type {item.GoTypeName}");
        }
        var bounds = new[] { 0, length, length };
        for (var i = 1; i < args.Length; i++)
        {
            if (args[i].Kind != TemplateKind.Int)
            {
                throw new TemplateFunctionException($"cannot index slice/array with type {args[i].GoTypeName}");
            }
            var v = args[i].AsInt;
            if (v < 0 || v > length)
            {
                throw new TemplateFunctionException($"index out of range: {v}");
            }
            bounds[i - 1] = (int)v;
        }
        if (bounds[0] > bounds[1])
        {
            throw new TemplateFunctionException($"invalid slice index: {bounds[0]} > {bounds[1]}");
        }
        if (args.Length == 4 && bounds[1] > bounds[2])
        {
            throw new TemplateFunctionException($"invalid slice index: {bounds[1]} > {bounds[2]}");
        }
        if (item.Kind == TemplateKind.String)
        {
            var bytes = Encoding.UTF8.GetBytes(item.AsString);
            return TemplateValue.FromString(Encoding.UTF8.GetString(bytes, bounds[0], bounds[1] - bounds[0]));
        }
        var source = item.AsList;
        var items = new TemplateValue[bounds[1] - bounds[0]];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = source[bounds[0] + i];
        }
        return TemplateValue.FromList(new TemplateList(items));
    }

    /// <summary>Go's eq: arg1 == arg2 || arg1 == arg3 ...; basic kinds compare by value, mixed valid kinds are an error.</summary>
    private static TemplateValue Equal(ReadOnlySpan<TemplateValue> args)
    {
        if (args.Length < 2)
        {
            throw new TemplateFunctionException("missing argument for comparison");
        }
        var first = args[0];
        foreach (var other in args[1..])
        {
            if (first.Kind != other.Kind)
            {
                if (!first.IsNil && !other.IsNil)
                {
                    throw new TemplateFunctionException("incompatible types for comparison");
                }
                continue;
            }
            var equal = first.Kind switch
            {
                TemplateKind.Nil => true,
                TemplateKind.Bool or TemplateKind.Int => first.AsInt == other.AsInt,
                TemplateKind.Float => first.AsFloat == other.AsFloat,
                TemplateKind.String => string.Equals(first.AsString, other.AsString, StringComparison.Ordinal),
                TemplateKind.Object => ReferenceEquals(first.Reference, other.Reference),
                _ => throw new TemplateFunctionException($"non-comparable type {Plain(first)}: {first.GoTypeName}"),
            };
            if (equal)
            {
                return TemplateValue.True;
            }
        }
        return TemplateValue.False;
    }

    private static bool Less(ReadOnlySpan<TemplateValue> args)
    {
        TemplateArityException.Require(args, 2);
        var (a, b) = (args[0], args[1]);
        if (a.Kind is not (TemplateKind.Int or TemplateKind.Float or TemplateKind.String) ||
            b.Kind is not (TemplateKind.Int or TemplateKind.Float or TemplateKind.String))
        {
            throw new TemplateFunctionException("invalid type for comparison");
        }
        if (a.Kind != b.Kind)
        {
            throw new TemplateFunctionException("incompatible types for comparison");
        }
        return a.Kind switch
        {
            TemplateKind.Int => a.AsInt < b.AsInt,
            TemplateKind.Float => a.AsFloat < b.AsFloat,
            _ => string.CompareOrdinal(a.AsString, b.AsString) < 0,
        };
    }

    private static string Plain(TemplateValue value)
    {
        var sb = new StringBuilder();
        GoFormat.AppendValue(sb, value, topLevel: false);
        return sb.ToString();
    }
}
