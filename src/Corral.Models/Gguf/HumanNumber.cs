using System.Globalization;

namespace Corral.Models.Gguf;

/// <summary>
/// Parameter counts the way Ollama shows them as a model's size ("8B", "1.2B", "135.43M", "22K"):
/// whole numbers without decimals, else one decimal for billions and two for millions.
/// </summary>
public static class HumanNumber
{
    public static string Format(long count)
    {
        const double Thousand = 1e3, Million = 1e6, Billion = 1e9;
        if (count >= Billion)
        {
            return Scaled(count / Billion, "F1", "B");
        }

        if (count >= Million)
        {
            return Scaled(count / Million, "F2", "M");
        }

        if (count >= Thousand)
        {
            return (count / Thousand).ToString("F0", CultureInfo.InvariantCulture) + "K";
        }

        return count.ToString(CultureInfo.InvariantCulture);
    }

    private static string Scaled(double value, string format, string suffix) =>
        (value == Math.Floor(value) ? value.ToString("F0", CultureInfo.InvariantCulture) : value.ToString(format, CultureInfo.InvariantCulture)) + suffix;
}
