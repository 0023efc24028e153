using System.Text;

namespace Corral.Cli.Arguments;

/// <summary>A subcommand: its names, help texts, arguments and flags.</summary>
internal sealed record VerbSpec(string Name, string Summary, string Usage, ArgumentCount Arguments, IReadOnlyList<FlagSpec> Flags, IReadOnlyList<string>? Aliases = null)
{
    public bool Matches(string verb) => verb == Name || (Aliases?.Contains(verb) ?? false);

    /// <summary>Parses the words after the verb, cobra style: flags may come anywhere, <c>--</c> ends them.</summary>
    public ParsedArguments Parse(IReadOnlyList<string> args)
    {
        var positionals = new List<string>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var help = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                positionals.AddRange(args.Skip(i + 1));
                break;
            }

            if (arg is "-h" or "--help")
            {
                help = true;
                continue;
            }

            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                var body = arg[2..];
                var eq = body.IndexOf('=');
                var name = eq >= 0 ? body[..eq] : body;
                var flag = Flags.FirstOrDefault(f => f.Name == name) ?? throw new UsageException($"unknown flag: --{name}");
                values[flag.Name] = eq >= 0 ? CheckValue(flag, body[(eq + 1)..]) : TakeValue(flag, "--" + name, args, ref i);
                continue;
            }

            if (arg.Length > 1 && arg[0] == '-' && !IsNumber(arg))
            {
                var shortName = arg[1];
                var flag = Flags.FirstOrDefault(f => f.Short == shortName)
                    ?? throw new UsageException($"unknown shorthand flag: '{shortName}' in {arg}");
                if (arg.Length > 2)
                {
                    var rest = arg[2..].TrimStart('=');
                    values[flag.Name] = flag.Kind == FlagKind.Boolean ? CheckValue(flag, rest) : rest;
                }
                else
                {
                    values[flag.Name] = TakeValue(flag, "-" + shortName, args, ref i);
                }

                continue;
            }

            positionals.Add(arg);
        }

        if (!help && Arguments.Check(positionals.Count, Name) is { } error)
        {
            throw new UsageException(error);
        }

        return new ParsedArguments(positionals, values, help);
    }

    public string Help()
    {
        var text = new StringBuilder();
        text.Append(Summary).Append("\n\nUsage:\n  corral ").Append(Usage).Append('\n');
        if (Aliases is { Count: > 0 })
        {
            text.Append("\nAliases:\n  ").Append(string.Join(", ", new[] { Name }.Concat(Aliases))).Append('\n');
        }

        text.Append("\nFlags:\n");
        var rows = Flags.Select(f => (Left: FlagLeft(f), f.Description))
            .Append((Left: "-h, --help", Description: $"help for {Name}"))
            .ToList();
        var width = rows.Max(r => r.Left.Length);
        foreach (var (left, description) in rows)
        {
            text.Append("  ").Append(left.PadRight(width)).Append("   ").Append(description).Append('\n');
        }

        return text.ToString();
    }

    private static string FlagLeft(FlagSpec flag)
    {
        var names = flag.Short is { } s ? $"-{s}, --{flag.Name}" : $"    --{flag.Name}";
        return flag.Kind == FlagKind.String ? names + " string" : names;
    }

    private static string TakeValue(FlagSpec flag, string spelled, IReadOnlyList<string> args, ref int i)
    {
        if (flag.Kind == FlagKind.Boolean)
        {
            return "true";
        }

        if (flag.ValueWhenBare is { } bare)
        {
            return bare;
        }

        if (i + 1 >= args.Count)
        {
            throw new UsageException($"flag needs an argument: {spelled}");
        }

        return args[++i];
    }

    private static string CheckValue(FlagSpec flag, string value)
    {
        if (flag.Kind != FlagKind.Boolean)
        {
            return value;
        }

        return value switch
        {
            "1" or "t" or "T" or "TRUE" or "true" or "True" => "true",
            "0" or "f" or "F" or "FALSE" or "false" or "False" => "false",
            _ => throw new UsageException($"invalid argument \"{value}\" for \"--{flag.Name}\" flag: strconv.ParseBool: parsing \"{value}\": invalid syntax"),
        };
    }

    private static bool IsNumber(string arg) => double.TryParse(arg, System.Globalization.CultureInfo.InvariantCulture, out _);
}
