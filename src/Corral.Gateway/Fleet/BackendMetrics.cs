using System.Globalization;

namespace Corral.Gateway.Fleet;

/// <summary>
/// The few series the router needs from a backend's Prometheus text: <c>corral_queue_depth</c>, and per loaded model
/// <c>corral_runner_slots</c> and <c>corral_runner_active_slots</c> (label <c>model</c>).
/// </summary>
public sealed record BackendMetrics(int QueueDepth, IReadOnlyDictionary<string, int> Slots, IReadOnlyDictionary<string, int> ActiveSlots)
{
    public static BackendMetrics Empty { get; } = new(0, new Dictionary<string, int>(), new Dictionary<string, int>());

    public static BackendMetrics Parse(string text)
    {
        var queue = 0;
        var slots = new Dictionary<string, int>(StringComparer.Ordinal);
        var active = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            var line = raw.Trim();
            if (line.IsEmpty || line[0] == '#')
            {
                continue;
            }

            var space = line.LastIndexOf(' ');
            if (space < 0 || !double.TryParse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                continue;
            }

            var series = line[..space];
            if (series.SequenceEqual("corral_queue_depth"))
            {
                queue = (int)value;
            }
            else if (series.StartsWith("corral_runner_slots{") && ModelLabel(series) is { } model)
            {
                slots[ModelKey.Of(model)] = (int)value;
            }
            else if (series.StartsWith("corral_runner_active_slots{") && ModelLabel(series) is { } busy)
            {
                active[ModelKey.Of(busy)] = (int)value;
            }
        }

        return new BackendMetrics(queue, slots, active);
    }

    /// <summary>The value of <c>model="..."</c> (Corral's model names carry no quotes or backslashes to unescape).</summary>
    private static string? ModelLabel(ReadOnlySpan<char> series)
    {
        var start = series.IndexOf("model=\"");
        if (start < 0)
        {
            return null;
        }

        var rest = series[(start + "model=\"".Length)..];
        var end = rest.IndexOf('"');
        return end < 0 ? null : rest[..end].ToString();
    }
}
