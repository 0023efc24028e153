using System.Globalization;
using System.Text;

namespace Corral.Bench.Compare;

/// <summary>
/// Every figure of every round, by scenario, metric and contender; printed as one Markdown table per scenario: the
/// median over rounds with the min–max spread, and Corral's median over llama-server's. Where the in-process ceiling
/// (<paramref name="ceiling"/>) ran too, its column and both servers' medians over it follow.
/// </summary>
internal sealed class ResultBook(string reference, string candidate, string ceiling)
{
    private readonly List<(string Scenario, string Metric)> _rows = [];
    private readonly Dictionary<(string Scenario, string Metric, string Server), List<double>> _values = [];

    public void Add(string scenario, string metric, string server, double value)
    {
        if (!_rows.Contains((scenario, metric)))
        {
            _rows.Add((scenario, metric));
        }

        if (!_values.TryGetValue((scenario, metric, server), out var list))
        {
            _values[(scenario, metric, server)] = list = [];
        }

        list.Add(value);
    }

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        foreach (var scenario in _rows.Select(r => r.Scenario).Distinct())
        {
            var metrics = _rows.Where(r => r.Scenario == scenario).Select(r => r.Metric).ToList();
            var withCeiling = metrics.Any(m => Values(scenario, m, ceiling).Count > 0);
            text.AppendLine(CultureInfo.InvariantCulture, $"**{scenario}**");
            text.AppendLine();
            if (withCeiling)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"| metric | {reference} median (min–max) | {candidate} median (min–max) | {ceiling} median (min–max) | {candidate} / {reference} | {reference} / {ceiling} | {candidate} / {ceiling} |");
                text.AppendLine("| --- | --- | --- | --- | --- | --- | --- |");
            }
            else
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"| metric | {reference} median (min–max) | {candidate} median (min–max) | {candidate} / {reference} |");
                text.AppendLine("| --- | --- | --- | --- |");
            }

            foreach (var metric in metrics)
            {
                var a = Values(scenario, metric, reference);
                var b = Values(scenario, metric, candidate);
                if (withCeiling)
                {
                    var c = Values(scenario, metric, ceiling);
                    text.AppendLine(CultureInfo.InvariantCulture, $"| {metric} | {Cell(a)} | {Cell(b)} | {Cell(c)} | {Ratio(b, a)} | {Ratio(a, c)} | {Ratio(b, c)} |");
                }
                else
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"| {metric} | {Cell(a)} | {Cell(b)} | {Ratio(b, a)} |");
                }
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    private List<double> Values(string scenario, string metric, string server) =>
        _values.TryGetValue((scenario, metric, server), out var list) ? list : [];

    private static string Ratio(List<double> numerator, List<double> denominator) =>
        numerator.Count > 0 && denominator.Count > 0
            ? (Statistics.Median(numerator) / Statistics.Median(denominator)).ToString("0.00", CultureInfo.InvariantCulture)
            : "-";

    private static string Cell(List<double> values)
    {
        if (values.Count == 0)
        {
            return "-";
        }

        var format = values.Max() >= 100 ? "0" : "0.0";
        string F(double v) => v.ToString(format, CultureInfo.InvariantCulture);
        return values.Count == 1 ? F(values[0]) : $"{F(Statistics.Median(values))} ({F(values.Min())}–{F(values.Max())})";
    }
}
