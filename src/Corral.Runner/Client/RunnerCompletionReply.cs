using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Corral.Runner.Protocol;

namespace Corral.Runner.Client;

/// <summary>A completion the runner accepted: its NDJSON chunks, read once. Disposing closes the connection, which frees the slot.</summary>
public sealed class RunnerCompletionReply : IDisposable
{
    private readonly HttpResponseMessage _response;
    private bool _read;

    internal RunnerCompletionReply(HttpResponseMessage response)
    {
        _response = response;
        PromptTokens = response.Headers.TryGetValues(RunnerHeaders.PromptTokens, out var values)
            && int.TryParse(values.FirstOrDefault(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count)
            ? count
            : 0;
    }

    /// <summary>The prompt's length as the runner admitted it (whole prompt, cached or not); 0 when it did not say.</summary>
    public int PromptTokens { get; }

    /// <summary>The chunks as the runner sends them; the last has Done set. An error chunk throws <see cref="RunnerException"/>.</summary>
    /// <remarks>
    /// Every token of every stream passes here, so the NDJSON lines are parsed from the bytes as they arrive, without a
    /// string per line; lines that arrived together (the runner flushes all it has at once) are read in one go.
    /// </remarks>
    public async IAsyncEnumerable<CompletionChunk> ReadAsync([EnumeratorCancellation] CancellationToken cancellation)
    {
        ObjectDisposedException.ThrowIf(_read, this);
        _read = true;
        var stream = await _response.Content.ReadAsStreamAsync(cancellation).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 4096, leaveOpen: true));
            var chunks = new List<CompletionChunk>();
            var sawDone = false;
            try
            {
                while (true)
                {
                    ReadResult read;
                    try
                    {
                        read = await reader.ReadAsync(cancellation).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is IOException or HttpRequestException || (ex is OperationCanceledException && !cancellation.IsCancellationRequested))
                    {
                        throw new RunnerException("model runner stopped unexpectedly during generation", ex);
                    }

                    var buffer = read.Buffer;
                    ParseLines(ref buffer, read.IsCompleted, chunks);
                    reader.AdvanceTo(buffer.Start, buffer.End);
                    foreach (var chunk in chunks)
                    {
                        if (chunk.Error is not null)
                        {
                            throw new RunnerException(chunk.Error);
                        }

                        sawDone |= chunk.Done;
                        yield return chunk;
                    }

                    chunks.Clear();
                    if (read.IsCompleted)
                    {
                        break;
                    }
                }
            }
            finally
            {
                await reader.CompleteAsync().ConfigureAwait(false);
            }

            if (!sawDone && !cancellation.IsCancellationRequested)
            {
                throw new RunnerException("model runner stopped unexpectedly during generation");
            }
        }
    }

    /// <summary>
    /// Takes every complete line off the front of <paramref name="buffer"/> (and, at the end of the stream, a last one
    /// without a newline) and adds its chunk to <paramref name="into"/>; blank lines are skipped.
    /// </summary>
    private static void ParseLines(ref ReadOnlySequence<byte> buffer, bool final, List<CompletionChunk> into)
    {
        while (!buffer.IsEmpty)
        {
            ReadOnlySequence<byte> line;
            if (buffer.PositionOf((byte)'\n') is { } newline)
            {
                line = buffer.Slice(0, newline);
                buffer = buffer.Slice(buffer.GetPosition(1, newline));
            }
            else if (final)
            {
                line = buffer;
                buffer = buffer.Slice(buffer.End);
            }
            else
            {
                return;
            }

            if (IsBlank(line))
            {
                continue;
            }

            var json = new Utf8JsonReader(line);
            into.Add(JsonSerializer.Deserialize(ref json, RunnerJsonContext.Default.CompletionChunk)
                ?? throw new RunnerException("runner sent an empty chunk"));
        }
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

    public void Dispose() => _response.Dispose();
}
