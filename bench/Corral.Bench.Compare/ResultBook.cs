using System.Globalization;
using System.Text;

namespace Corral.Bench.Compare;

/// <summary>
/// Every figure of every round, by scenario, metric and server; printed as one Markdown table per
/// scenario: the median over rounds with the min–max spread, and Corral's median over llama-server's.
/// </summary>
internal sealed class ResultBook(string reference, string candidate)
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
            text.AppendLine(CultureInfo.InvariantCulture, $"**{scenario}**");
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"| metric | {reference} median (min–max) | {candidate} median (min–max) | {candidate} / {reference} |");
            text.AppendLine("| --- | --- | --- | --- |");
            foreach (var (_, metric) in _rows.Where(r => r.Scenario == scenario))
            {
                var a = Values(scenario, metric, reference);
                var b = Values(scenario, metric, candidate);
                var ratio = a.Count > 0 && b.Count > 0 ? (Statistics.Median(b) / Statistics.Median(a)).ToString("0.00", CultureInfo.InvariantCulture) : "-";
                text.AppendLine(CultureInfo.InvariantCulture, $"| {metric} | {Cell(a)} | {Cell(b)} | {ratio} |");
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    private List<double> Values(string scenario, string metric, string server) =>
        _values.TryGetValue((scenario, metric, server), out var list) ? list : [];

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
