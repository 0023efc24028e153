using System.Globalization;

namespace Corral.Cli.Output;

/// <summary>Go's <c>%g</c> for a float64 (shortest digits; exponent form from 1e+06 and below 1e-04).</summary>
internal static class GoFloat
{
    public static string FormatG(double value)
    {
        if (value == 0 || double.IsNaN(value) || double.IsInfinity(value))
        {
            return value == 0 ? "0" : value.ToString(CultureInfo.InvariantCulture);
        }

        var exponent = (int)Math.Floor(Math.Log10(Math.Abs(value)));
        if (exponent is >= -4 and < 6)
        {
            return value.ToString("R", CultureInfo.InvariantCulture);
        }

        var mantissa = Math.Round(value / Math.Pow(10, exponent), 15);
        return mantissa.ToString("R", CultureInfo.InvariantCulture) + "e" + (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
    }
}
