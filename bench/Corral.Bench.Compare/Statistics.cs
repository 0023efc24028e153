namespace Corral.Bench.Compare;

/// <summary>Order statistics over a handful of samples.</summary>
internal static class Statistics
{
    /// <summary>The <paramref name="fraction"/> quantile by linear interpolation between closest ranks (0.5 = median).</summary>
    public static double Quantile(IEnumerable<double> samples, double fraction)
    {
        var sorted = samples.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = fraction * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + ((rank - low) * (sorted[high] - sorted[low]));
    }

    public static double Median(IEnumerable<double> samples) => Quantile(samples, 0.5);
}
