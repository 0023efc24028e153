using System.Globalization;
using System.Text;

namespace Corral.Server.Tests.Observability;

/// <summary>
/// A strict parser of the Prometheus text exposition format 0.0.4, written from the format's grammar:
/// HELP/TYPE lines, metric and label name syntax, label value escaping, float values, contiguous
/// families, no duplicate series, and histogram invariants (ascending <c>le</c>, cumulative buckets,
/// a final <c>le="+Inf"</c> equal to <c>_count</c>, a <c>_sum</c>). Anything else throws.
/// </summary>
public static class PrometheusTextParser
{
    public static PrometheusScrape Parse(string text)
    {
        if (text.Length > 0 && !text.EndsWith('\n'))
        {
            throw new FormatException("exposition must end with a newline");
        }

        var families = new Dictionary<string, PrometheusFamily>(StringComparer.Ordinal);
        var closed = new HashSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        PrometheusFamily? current = null;
        var number = 0;
        foreach (var line in text[..^1].Split('\n'))
        {
            number++;
            try
            {
                if (line.Length == 0)
                {
                    continue;
                }

                if (line.StartsWith('#'))
                {
                    var family = ParseComment(line, families, closed, current);
                    if (family is not null)
                    {
                        current = Switch(current, family, closed);
                    }

                    continue;
                }

                var sample = ParseSample(line);
                var owner = FamilyOf(sample.Name, families) ?? throw new FormatException($"sample {sample.Name} has no TYPE");
                current = Switch(current, owner, closed);
                if (!seen.Add(sample.Name + "{" + string.Join(",", sample.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value)) + "}"))
                {
                    throw new FormatException($"duplicate series {sample.Name}");
                }

                if (owner.Type == "counter" && (sample.Value < 0 || double.IsNaN(sample.Value)))
                {
                    throw new FormatException($"counter {sample.Name} is negative");
                }

                owner.Samples.Add(sample);
            }
            catch (Exception ex) when (ex is FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
            {
                throw new FormatException($"line {number}: {ex.Message}: {line}", ex);
            }
        }

        foreach (var family in families.Values.Where(f => f.Type == "histogram"))
        {
            CheckHistogram(family);
        }

        return new PrometheusScrape(families);
    }

    private static PrometheusFamily Switch(PrometheusFamily? current, PrometheusFamily next, HashSet<string> closed)
    {
        if (current is not null && current != next)
        {
            closed.Add(current.Name);
        }

        if (closed.Contains(next.Name))
        {
            throw new FormatException($"family {next.Name} is not contiguous");
        }

        return next;
    }

    private static PrometheusFamily? ParseComment(string line, Dictionary<string, PrometheusFamily> families, HashSet<string> closed, PrometheusFamily? current)
    {
        var parts = line.Split(' ', 4);
        if (parts.Length < 3 || parts[0] != "#" || parts[1] is not ("HELP" or "TYPE"))
        {
            return null; // an ordinary comment
        }

        var name = parts[2];
        CheckMetricName(name);
        if (!families.TryGetValue(name, out var family))
        {
            family = new PrometheusFamily(name);
            families.Add(name, family);
        }

        if (parts[1] == "HELP")
        {
            if (family.Help is not null)
            {
                throw new FormatException($"second HELP for {name}");
            }

            family.Help = Unescape(parts.Length > 3 ? parts[3] : string.Empty, allowQuote: false);
        }
        else
        {
            if (family.Type is not null)
            {
                throw new FormatException($"second TYPE for {name}");
            }

            if (family.Samples.Count > 0)
            {
                throw new FormatException($"TYPE for {name} after its samples");
            }

            var type = parts.Length > 3 ? parts[3] : string.Empty;
            family.Type = type is "counter" or "gauge" or "histogram" or "summary" or "untyped"
                ? type
                : throw new FormatException($"unknown type '{type}'");
        }

        return family;
    }

    private static PrometheusFamily? FamilyOf(string sample, Dictionary<string, PrometheusFamily> families)
    {
        if (families.TryGetValue(sample, out var direct) && direct.Type is not "histogram")
        {
            return direct;
        }

        foreach (var suffix in (string[])["_bucket", "_sum", "_count"])
        {
            if (sample.EndsWith(suffix, StringComparison.Ordinal)
                && families.TryGetValue(sample[..^suffix.Length], out var family) && family.Type == "histogram")
            {
                return family;
            }
        }

        return direct?.Type is "histogram" ? throw new FormatException($"histogram {sample} sampled without a suffix") : null;
    }

    private static PrometheusSample ParseSample(string line)
    {
        var i = 0;
        while (i < line.Length && line[i] is not ('{' or ' '))
        {
            i++;
        }

        var name = line[..i];
        CheckMetricName(name);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                var start = i;
                while (line[i] != '=')
                {
                    i++;
                }

                var label = line[start..i];
                CheckLabelName(label);
                if (line[++i] != '"')
                {
                    throw new FormatException("label value must be quoted");
                }

                var value = new StringBuilder();
                i++;
                while (line[i] != '"')
                {
                    if (line[i] == '\\')
                    {
                        i++;
                        value.Append(line[i] switch
                        {
                            '\\' => '\\',
                            '"' => '"',
                            'n' => '\n',
                            _ => throw new FormatException($"bad escape \\{line[i]}"),
                        });
                    }
                    else
                    {
                        value.Append(line[i]);
                    }

                    i++;
                }

                i++;
                if (!labels.TryAdd(label, value.ToString()))
                {
                    throw new FormatException($"label {label} repeated");
                }

                if (line[i] == ',')
                {
                    i++;
                }
                else if (line[i] != '}')
                {
                    throw new FormatException("expected ',' or '}' after a label");
                }
            }

            i++;
        }

        if (i >= line.Length || line[i] != ' ')
        {
            throw new FormatException("expected a space before the value");
        }

        var rest = line[(i + 1)..].Split(' ');
        if (rest.Length > 2 || (rest.Length == 2 && !long.TryParse(rest[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)))
        {
            throw new FormatException("expected '<value> [timestamp]'");
        }

        return new PrometheusSample(name, labels, ParseValue(rest[0]));
    }

    private static double ParseValue(string text) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ when text.Length > 0 && !text.Contains(',') && !char.IsWhiteSpace(text[0])
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) => v,
        _ => throw new FormatException($"bad value '{text}'"),
    };

    private static void CheckHistogram(PrometheusFamily family)
    {
        var bySeries = family.Samples.GroupBy(s => string.Join(",", s.Labels.Where(l => l.Key != "le").OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value)));
        foreach (var series in bySeries)
        {
            var buckets = series.Where(s => s.Name == family.Name + "_bucket").ToList();
            var count = series.SingleOrDefault(s => s.Name == family.Name + "_count") ?? throw new FormatException($"{family.Name}: no _count");
            _ = series.SingleOrDefault(s => s.Name == family.Name + "_sum") ?? throw new FormatException($"{family.Name}: no _sum");
            if (buckets.Count == 0 || buckets[^1].Labels.GetValueOrDefault("le") != "+Inf")
            {
                throw new FormatException($"{family.Name}: last bucket must be le=\"+Inf\"");
            }

            var previousLe = double.NegativeInfinity;
            var previousCount = 0.0;
            foreach (var bucket in buckets)
            {
                var le = ParseValue(bucket.Labels.TryGetValue("le", out var l) ? l : throw new FormatException($"{family.Name}: bucket without le"));
                if (le <= previousLe || bucket.Value < previousCount)
                {
                    throw new FormatException($"{family.Name}: buckets must ascend in le and be cumulative");
                }

                previousLe = le;
                previousCount = bucket.Value;
            }

            if (buckets[^1].Value != count.Value)
            {
                throw new FormatException($"{family.Name}: +Inf bucket {buckets[^1].Value} != _count {count.Value}");
            }
        }
    }

    private static void CheckMetricName(string name)
    {
        if (name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] is '_' or ':') || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':'))
        {
            throw new FormatException($"bad metric name '{name}'");
        }
    }

    private static void CheckLabelName(string name)
    {
        if (name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] == '_') || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') || name.StartsWith("__", StringComparison.Ordinal))
        {
            throw new FormatException($"bad label name '{name}'");
        }
    }

    private static string Unescape(string text, bool allowQuote)
    {
        var result = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\')
            {
                result.Append(text[i]);
                continue;
            }

            if (++i >= text.Length)
            {
                throw new FormatException("dangling backslash");
            }

            result.Append(text[i] switch
            {
                '\\' => '\\',
                'n' => '\n',
                '"' when allowQuote => '"',
                _ => throw new FormatException($"bad escape \\{text[i]}"),
            });
        }

        return result.ToString();
    }
}
