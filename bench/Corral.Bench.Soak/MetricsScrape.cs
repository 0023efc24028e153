using System.Globalization;

namespace Corral.Bench.Soak;

/// <summary>The server's /metrics (Prometheus text), each metric summed over its labels (e.g. active slots over every runner).</summary>
internal sealed class MetricsScrape(IReadOnlyDictionary<string, double> sums, IReadOnlyList<string> lines)
{
    public double this[string metric] => sums.GetValueOrDefault(metric, double.NaN);

    /// <summary>The sum of <paramref name="metric"/> over the series whose labels contain <paramref name="label"/> (e.g. <c>status="499"</c>).</summary>
    public double Sum(string metric, string label) =>
        lines.Where(l => l.StartsWith(metric + "{", StringComparison.Ordinal) && l.Contains(label, StringComparison.Ordinal))
            .Sum(l => double.Parse(l.AsSpan(l.LastIndexOf(' ') + 1), NumberStyles.Float, CultureInfo.InvariantCulture));

    public static async Task<MetricsScrape> ReadAsync(HttpClient http, CancellationToken cancellation)
    {
        var text = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative), cancellation).ConfigureAwait(false);
        var sums = new Dictionary<string, double>(StringComparer.Ordinal);
        var samples = new List<string>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            samples.Add(line);
            var space = line.LastIndexOf(' ');
            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var name = line[..(brace > 0 && brace < space ? brace : space)];
            if (double.TryParse(line.AsSpan(space + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                sums[name] = sums.GetValueOrDefault(name) + value;
            }
        }

        return new MetricsScrape(sums, samples);
    }
}
