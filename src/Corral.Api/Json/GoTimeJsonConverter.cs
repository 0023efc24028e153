using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Corral.Api.Json;

/// <summary>
/// Reads and writes timestamps the way Go's <c>time.Time</c> marshals them (RFC 3339 with nanoseconds):
/// fraction without trailing zeros, <c>Z</c> for a zero offset, otherwise <c>±hh:mm</c>.
/// Reading accepts any number of fraction digits (Go writes up to 9; .NET keeps 7).
/// </summary>
public sealed class GoTimeJsonConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("timestamp must be a string");
        }

        // Escaped or segmented values are rare (no client escapes digits); take the slow path for them.
        var text = reader.HasValueSequence || reader.ValueIsEscaped
            ? System.Text.Encoding.UTF8.GetBytes(reader.GetString()!)
            : reader.ValueSpan;
        return TryParse(text, out var value)
            ? value
            : throw new JsonException($"invalid RFC 3339 timestamp: {System.Text.Encoding.UTF8.GetString(text)}");
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        Span<byte> buffer = stackalloc byte[48];
        var length = Format(value, buffer);
        // Raw write: the default encoder would escape '+' in offsets as \u002B.
        writer.WriteRawValue(buffer[..length], skipInputValidation: true);
    }

    /// <summary>Formats as a quoted JSON string into <paramref name="destination"/> (48 bytes suffice).</summary>
    public static int Format(DateTimeOffset value, Span<byte> destination)
    {
        var pos = 0;
        destination[pos++] = (byte)'"';
        var dateTime = value.DateTime;
        WriteDigits(destination, ref pos, dateTime.Year, 4);
        destination[pos++] = (byte)'-';
        WriteDigits(destination, ref pos, dateTime.Month, 2);
        destination[pos++] = (byte)'-';
        WriteDigits(destination, ref pos, dateTime.Day, 2);
        destination[pos++] = (byte)'T';
        WriteDigits(destination, ref pos, dateTime.Hour, 2);
        destination[pos++] = (byte)':';
        WriteDigits(destination, ref pos, dateTime.Minute, 2);
        destination[pos++] = (byte)':';
        WriteDigits(destination, ref pos, dateTime.Second, 2);
        var fraction = (int)(dateTime.Ticks % TimeSpan.TicksPerSecond);
        if (fraction != 0)
        {
            var digits = 7;
            while (fraction % 10 == 0)
            {
                fraction /= 10;
                digits--;
            }

            destination[pos++] = (byte)'.';
            WriteDigits(destination, ref pos, fraction, digits);
        }

        var offsetMinutes = (int)value.Offset.TotalMinutes;
        if (offsetMinutes == 0)
        {
            destination[pos++] = (byte)'Z';
        }
        else
        {
            destination[pos++] = offsetMinutes < 0 ? (byte)'-' : (byte)'+';
            offsetMinutes = Math.Abs(offsetMinutes);
            WriteDigits(destination, ref pos, offsetMinutes / 60, 2);
            destination[pos++] = (byte)':';
            WriteDigits(destination, ref pos, offsetMinutes % 60, 2);
        }

        destination[pos++] = (byte)'"';
        return pos;
    }

    /// <summary>Formats as Go's <c>time.RFC3339Nano</c> text (no quotes).</summary>
    public static string Format(DateTimeOffset value)
    {
        Span<byte> buffer = stackalloc byte[48];
        var length = Format(value, buffer);
        return System.Text.Encoding.ASCII.GetString(buffer[1..(length - 1)]);
    }

    /// <summary>Parses <c>YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)</c>.</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length < 20 || text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != 't') || text[13] != ':' || text[16] != ':')
        {
            return false;
        }

        if (!TryDigits(text[..4], out var year) || !TryDigits(text.Slice(5, 2), out var month) || !TryDigits(text.Slice(8, 2), out var day)
            || !TryDigits(text.Slice(11, 2), out var hour) || !TryDigits(text.Slice(14, 2), out var minute) || !TryDigits(text.Slice(17, 2), out var second))
        {
            return false;
        }

        var pos = 19;
        long ticks = 0;
        if (text[pos] == '.')
        {
            pos++;
            var start = pos;
            var kept = 0;
            while (pos < text.Length && text[pos] >= '0' && text[pos] <= '9')
            {
                if (kept < 7)
                {
                    ticks = ticks * 10 + (text[pos] - '0');
                    kept++;
                }

                pos++;
            }

            if (pos == start)
            {
                return false;
            }

            for (; kept < 7; kept++)
            {
                ticks *= 10;
            }
        }

        TimeSpan offset;
        var zone = text[pos..];
        if (zone.Length == 1 && (zone[0] == 'Z' || zone[0] == 'z'))
        {
            offset = TimeSpan.Zero;
        }
        else if (zone.Length == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':'
            && TryDigits(zone.Slice(1, 2), out var offsetHours) && TryDigits(zone.Slice(4, 2), out var offsetMinutes))
        {
            offset = new TimeSpan(offsetHours, offsetMinutes, 0);
            if (zone[0] == '-')
            {
                offset = -offset;
            }
        }
        else
        {
            return false;
        }

        try
        {
            var dateTime = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(ticks);
            value = new DateTimeOffset(dateTime, offset);
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }
    }

    private static bool TryDigits(ReadOnlySpan<byte> text, out int value) =>
        Utf8Parser.TryParse(text, out value, out var consumed) && consumed == text.Length && text[0] != '-' && text[0] != '+';

    private static void WriteDigits(Span<byte> destination, ref int pos, int value, int digits)
    {
        for (var i = digits - 1; i >= 0; i--)
        {
            destination[pos + i] = (byte)('0' + value % 10);
            value /= 10;
        }

        pos += digits;
    }
}
