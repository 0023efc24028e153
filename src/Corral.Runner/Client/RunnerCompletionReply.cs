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
    public async IAsyncEnumerable<CompletionChunk> ReadAsync([EnumeratorCancellation] CancellationToken cancellation)
    {
        ObjectDisposedException.ThrowIf(_read, this);
        _read = true;
        var stream = await _response.Content.ReadAsStreamAsync(cancellation).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var reader = new StreamReader(stream);
            var sawDone = false;
            while (true)
            {
                string? line;
                try
                {
                    line = await reader.ReadLineAsync(cancellation).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or HttpRequestException || (ex is OperationCanceledException && !cancellation.IsCancellationRequested))
                {
                    throw new RunnerException("model runner stopped unexpectedly during generation", ex);
                }

                if (line is null)
                {
                    break;
                }

                if (line.Length == 0)
                {
                    continue;
                }

                var chunk = JsonSerializer.Deserialize(line, RunnerJsonContext.Default.CompletionChunk)
                    ?? throw new RunnerException("runner sent an empty chunk");
                if (chunk.Error is not null)
                {
                    throw new RunnerException(chunk.Error);
                }

                sawDone |= chunk.Done;
                yield return chunk;
            }

            if (!sawDone && !cancellation.IsCancellationRequested)
            {
                throw new RunnerException("model runner stopped unexpectedly during generation");
            }
        }
    }

    public void Dispose() => _response.Dispose();
}
