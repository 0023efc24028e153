namespace Corral.Templates.Jinja;

/// <summary>Python's datetime.strftime for the C-locale directives templates use ("%d %b %Y").</summary>
internal static class Strftime
{
    public static string Format(DateTime t, string format)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length)
            {
                sb.Append(format[i]);
                continue;
            }

            var d = format[++i];
            sb.Append(d switch
            {
                'd' => t.Day.ToString("00", inv),
                'e' => t.Day.ToString(inv).PadLeft(2),
                'm' => t.Month.ToString("00", inv),
                'Y' => t.Year.ToString("0000", inv),
                'y' => (t.Year % 100).ToString("00", inv),
                'b' or 'h' => t.ToString("MMM", inv),
                'B' => t.ToString("MMMM", inv),
                'a' => t.ToString("ddd", inv),
                'A' => t.ToString("dddd", inv),
                'H' => t.Hour.ToString("00", inv),
                'I' => (t.Hour % 12 == 0 ? 12 : t.Hour % 12).ToString("00", inv),
                'M' => t.Minute.ToString("00", inv),
                'S' => t.Second.ToString("00", inv),
                'p' => t.Hour < 12 ? "AM" : "PM",
                'j' => t.DayOfYear.ToString("000", inv),
                'f' => (t.Ticks % TimeSpan.TicksPerSecond / 10).ToString("000000", inv),
                'w' => ((int)t.DayOfWeek).ToString(inv),
                'F' => t.ToString("yyyy-MM-dd", inv),
                'T' => t.ToString("HH:mm:ss", inv),
                '%' => "%",
                _ => "%" + d,
            });
        }

        return sb.ToString();
    }
}
