using System.Globalization;
using System.Text;

namespace Corral.Cli.Output;

/// <summary>The statistics <c>ollama run --verbose</c> prints after an answer, from the final chunk's counters.</summary>
internal static class TimingSummary
{
    public static string Format(long totalDuration, long loadDuration, int promptEvalCount, long promptEvalDuration, int evalCount, long evalDuration)
    {
        var text = new StringBuilder();
        if (totalDuration > 0)
        {
            text.Append("total duration:       ").Append(HumanFormat.GoDuration(totalDuration)).Append('\n');
        }

        if (loadDuration > 0)
        {
            text.Append("load duration:        ").Append(HumanFormat.GoDuration(loadDuration)).Append('\n');
        }

        if (promptEvalCount > 0)
        {
            text.Append("prompt eval count:    ").Append(promptEvalCount.ToString(CultureInfo.InvariantCulture)).Append(" token(s)\n");
        }

        if (promptEvalDuration > 0)
        {
            text.Append("prompt eval duration: ").Append(HumanFormat.GoDuration(promptEvalDuration)).Append('\n');
            text.Append("prompt eval rate:     ").Append(Rate(promptEvalCount, promptEvalDuration)).Append(" tokens/s\n");
        }

        if (evalCount > 0)
        {
            text.Append("eval count:           ").Append(evalCount.ToString(CultureInfo.InvariantCulture)).Append(" token(s)\n");
        }

        if (evalDuration > 0)
        {
            text.Append("eval duration:        ").Append(HumanFormat.GoDuration(evalDuration)).Append('\n');
            text.Append("eval rate:            ").Append(Rate(evalCount, evalDuration)).Append(" tokens/s\n");
        }

        return text.ToString();
    }

    private static string Rate(int count, long nanoseconds) =>
        (count / (nanoseconds / 1e9)).ToString("0.00", CultureInfo.InvariantCulture);
}
