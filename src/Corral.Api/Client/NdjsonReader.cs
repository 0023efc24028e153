using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Corral.Api.Client;

/// <summary>
/// Reads newline-delimited JSON straight from the response bytes (no per-line strings) and turns an
/// <c>{"error": ...}</c> line into an <see cref="OllamaApiException"/>.
/// </summary>
internal static class NdjsonReader
{
    public static async IAsyncEnumerable<T> ReadAsync<T>(
        Stream stream, JsonTypeInfo<T> typeInfo, HttpStatusCode statusCode, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, leaveOpen: true));
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = result.Buffer;
                while (TryTakeLine(ref buffer, out var line))
                {
                    if (TryParseLine(line, typeInfo, statusCode, out var item))
                    {
                        yield return item;
                    }
                }

                if (result.IsCompleted)
                {
                    // A last line without a trailing newline still counts.
                    if (!buffer.IsEmpty && TryParseLine(buffer, typeInfo, statusCode, out var last))
                    {
                        reader.AdvanceTo(buffer.End);
                        yield return last;
                        yield break;
                    }

                    reader.AdvanceTo(buffer.End);
                    yield break;
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private static bool TryTakeLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var newline = buffer.PositionOf((byte)'\n');
        if (newline is null)
        {
            line = default;
            return false;
        }

        line = buffer.Slice(0, newline.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, newline.Value));
        return true;
    }

    private static bool TryParseLine<T>(ReadOnlySequence<byte> line, JsonTypeInfo<T> typeInfo, HttpStatusCode statusCode, out T item)
    {
        item = default!;
        if (IsBlank(line))
        {
            return false;
        }

        var reader = new Utf8JsonReader(line);
        if (TryReadError(reader) is { } error)
        {
            throw new OllamaApiException(statusCode, error, midStream: true);
        }

        item = JsonSerializer.Deserialize(ref reader, typeInfo)!;
        return true;
    }

    /// <summary>The text of a top-level "error" property, if the object has one (reader is a copy).</summary>
    internal static string? TryReadError(Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isError = reader.ValueTextEquals("error"u8);
            reader.Read();
            if (isError && reader.TokenType == JsonTokenType.String)
            {
                return reader.GetString();
            }

            // Responses never carry "error" after other fields; stop looking at the first other one.
            return null;
        }

        return null;
    }

    private static bool IsBlank(ReadOnlySequence<byte> line)
    {
        foreach (var segment in line)
        {
            foreach (var b in segment.Span)
            {
                if (b is not ((byte)' ' or (byte)'\r' or (byte)'\t'))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
