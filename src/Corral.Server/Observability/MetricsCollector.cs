using System.Diagnostics.Metrics;
using System.Text;

namespace Corral.Server.Observability;

/// <summary>
/// Listens to <see cref="ServerMetrics.Meter"/> and keeps running totals (counters) and bucket counts
/// (histograms) per label set, for the Prometheus exposition. Measurements arrive once per request,
/// so one lock is cheap enough.
/// </summary>
public sealed class MetricsCollector : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Lock _lock = new();

    // Instrument order of publication, so the exposition is stable.
    private readonly List<Family> _families = [];
    private readonly Dictionary<Instrument, Family> _byInstrument = [];

    public MetricsCollector()
    {
        // Create the instruments before listening, so that they are published to this listener.
        _ = ServerMetrics.Meter;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name != ServerMetrics.MeterName)
            {
                return;
            }

            lock (_lock)
            {
                var bounds = instrument is Histogram<double> h ? h.Advice?.HistogramBucketBoundaries?.ToArray() ?? [] : null;
                var family = new Family(instrument.Name, instrument.Description ?? instrument.Name, bounds);
                _families.Add(family);
                _byInstrument[instrument] = family;
            }

            listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>Appends every family that has samples (counters and histograms) to <paramref name="text"/>.</summary>
    public void WriteTo(StringBuilder text)
    {
        lock (_lock)
        {
            foreach (var family in _families)
            {
                family.WriteTo(text);
            }
        }
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = new StringBuilder();
        foreach (var tag in tags)
        {
            if (labels.Length > 0)
            {
                labels.Append(',');
            }

            PrometheusText.Label(labels, tag.Key, tag.Value?.ToString() ?? string.Empty);
        }

        lock (_lock)
        {
            if (_byInstrument.TryGetValue(instrument, out var family))
            {
                family.Record(labels.ToString(), value);
            }
        }
    }

    private sealed class Family(string name, string help, double[]? bounds)
    {
        private readonly SortedDictionary<string, Series> _series = new(StringComparer.Ordinal);

        public void Record(string labels, double value)
        {
            if (!_series.TryGetValue(labels, out var series))
            {
                series = new Series(bounds?.Length ?? 0);
                _series.Add(labels, series);
            }

            series.Sum += value;
            series.Count++;
            if (bounds is null)
            {
                return;
            }

            for (var i = 0; i < bounds.Length; i++)
            {
                if (value <= bounds[i])
                {
                    series.Buckets[i]++;
                    break;
                }
            }
        }

        public void WriteTo(StringBuilder text)
        {
            if (_series.Count == 0)
            {
                return;
            }

            PrometheusText.Family(text, name, bounds is null ? "counter" : "histogram", help);
            foreach (var (labels, series) in _series)
            {
                if (bounds is null)
                {
                    PrometheusText.Sample(text, name, labels, series.Sum);
                    continue;
                }

                var prefix = labels.Length > 0 ? labels + "," : string.Empty;
                long cumulative = 0;
                for (var i = 0; i < bounds.Length; i++)
                {
                    cumulative += series.Buckets[i];
                    PrometheusText.Sample(text, name + "_bucket", prefix + "le=\"" + PrometheusText.Number(bounds[i]) + "\"", cumulative);
                }

                PrometheusText.Sample(text, name + "_bucket", prefix + "le=\"+Inf\"", series.Count);
                PrometheusText.Sample(text, name + "_sum", labels, series.Sum);
                PrometheusText.Sample(text, name + "_count", labels, series.Count);
            }
        }
    }

    private sealed class Series(int buckets)
    {
        public long[] Buckets { get; } = new long[buckets];

        public double Sum { get; set; }

        public long Count { get; set; }
    }
}
