using System.Text;

namespace Corral.Cli.Output;

/// <summary>
/// A transfer bar in the shape of ollama's: <c>pulling 6a0746a1ec1a:  35% ▕█████      ▏ 1.6 GB/4.7 GB  109 MB/s  28s</c>.
/// The rate is measured over the last ten one-second samples; once complete, only the total stays on the right.
/// </summary>
internal sealed class ProgressBar : IProgressLine
{
    private const int MaxSamples = 10;
    private readonly TimeProvider _clock;
    private readonly Queue<(DateTimeOffset At, long Value)> _samples = new();
    private readonly long _initial;
    private readonly DateTimeOffset _started;
    private DateTimeOffset? _stopped;

    public ProgressBar(string message, long total, long initial, TimeProvider? clock = null)
    {
        _clock = clock ?? TimeProvider.System;
        Message = message;
        Total = total;
        _initial = initial;
        Current = initial;
        _started = _clock.GetUtcNow();
        if (initial >= total)
        {
            _stopped = _started;
        }
    }

    public string Message { get; }

    public long Total { get; private set; }

    public long Current { get; private set; }

    public bool IsComplete => _stopped is not null;

    public void Set(long value, long? total = null)
    {
        if (total is > 0)
        {
            Total = total.Value;
        }

        Current = Math.Min(value, Total);
        var now = _clock.GetUtcNow();
        if (Current >= Total)
        {
            _stopped ??= now;
        }

        // One sample a second at most, so the rate is a ten-second moving figure.
        if (_samples.Count == 0 || now - _samples.Last().At > TimeSpan.FromSeconds(1))
        {
            _samples.Enqueue((now, Current));
            if (_samples.Count > MaxSamples)
            {
                _samples.Dequeue();
            }
        }
    }

    public double Percent => Total > 0 ? Current * 100.0 / Total : 0;

    /// <summary>Bytes per second; 0 until measurable.</summary>
    public double Rate
    {
        get
        {
            double bytes, seconds;
            if (_stopped is { } stopped)
            {
                bytes = Current - _initial;
                seconds = Math.Round((stopped - _started).TotalSeconds);
            }
            else if (_samples.Count == 0)
            {
                return 0;
            }
            else if (_samples.Count == 1)
            {
                var only = _samples.Peek();
                bytes = only.Value - _initial;
                seconds = Math.Round((only.At - _started).TotalSeconds);
            }
            else
            {
                var first = _samples.Peek();
                var last = _samples.Last();
                bytes = last.Value - first.Value;
                seconds = Math.Round((last.At - first.At).TotalSeconds);
            }

            return seconds > 0 ? bytes / seconds : 0;
        }
    }

    public string Render(int width)
    {
        var pre = new StringBuilder();
        if (Message.Length > 0)
        {
            pre.Append(Message.Trim()).Append(' ');
        }

        pre.Append($"{Math.Round(Percent),3:0}%");

        var suffix = new StringBuilder();
        if (!IsComplete)
        {
            suffix.Append(PadLeft(HumanFormat.Bytes(Current), 6)).Append('/').Append(PadLeft(HumanFormat.Bytes(Total), 6));
        }
        else
        {
            suffix.Append(PadLeft(HumanFormat.Bytes(Total), 6)).Append(' ', 7);
        }

        var rate = Rate;
        if (!IsComplete && rate > 0)
        {
            suffix.Append("  ").Append(PadLeft(HumanFormat.Bytes((long)rate), 6)).Append("/s");
            var remaining = TimeSpan.FromSeconds(Math.Floor((Total - Current) / rate));
            suffix.Append("  ").Append(PadLeft(Eta(remaining), 6));
        }
        else
        {
            suffix.Append(' ', 18);
        }

        // Two bar ends and a space on each side.
        var barWidth = Math.Max(width - pre.Length - suffix.Length - 5, 0);
        var filled = (int)(barWidth * Percent / 100);
        return pre + " ▕" + new string('█', filled) + new string(' ', barWidth - filled) + "▏ " + suffix;
    }

    /// <summary>At most two units: "28s", "4m12s", "1h5m", "99h+".</summary>
    internal static string Eta(TimeSpan remaining)
    {
        if (remaining >= TimeSpan.FromHours(100))
        {
            return "99h+";
        }

        if (remaining >= TimeSpan.FromHours(1))
        {
            return $"{(int)remaining.TotalHours}h{remaining.Minutes}m";
        }

        return HumanFormat.GoDuration(TimeSpan.FromSeconds(Math.Round(remaining.TotalSeconds)).Ticks * 100);
    }

    private static string PadLeft(string text, int width) => text.Length >= width ? text : new string(' ', width - text.Length) + text;
}
