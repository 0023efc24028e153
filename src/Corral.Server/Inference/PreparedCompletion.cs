using System.Diagnostics;
using System.Runtime.CompilerServices;
using Corral.Runner.Client;
using Corral.Runner.Protocol;
using Corral.Server.Resolution;
using Corral.Server.Observability;
using Corral.Server.Scheduling;
using Corral.Templates.Parsing;

namespace Corral.Server.Inference;

/// <summary>
/// A validated, rendered request holding a runner slot: what every API surface (native NDJSON,
/// OpenAI SSE) streams from. Dispose to give the slot back.
/// </summary>
public sealed class PreparedCompletion(ResolvedModel model, RunnerLease lease, CompletionRequest request, long started, OutputParserOptions parsing) : IAsyncDisposable
{
    public ResolvedModel Model { get; } = model;

    public RunnerLease Lease { get; } = lease;

    public CompletionRequest Request { get; } = request;

    /// <summary>Stopwatch timestamp when the HTTP request arrived (for total_duration).</summary>
    public long Started { get; } = started;

    /// <summary>How the output is split into content, thinking and tool calls.</summary>
    public OutputParserOptions Parsing { get; } = parsing;

    private RunnerCompletionReply? _accepted;

    /// <summary>The whole prompt's token count, known once the runner accepted the request (before the first token).</summary>
    public int PromptTokens { get; private set; }

    public IAsyncEnumerable<CompletionChunk> StreamAsync(CancellationToken cancellation)
    {
        if (_accepted is { } accepted)
        {
            _accepted = null;
            return ReadAcceptedAsync(accepted, cancellation);
        }

        return Lease.Client.CompleteAsync(Request, cancellation);
    }

    /// <summary>
    /// Sends the request to the runner and waits until it accepts it (headers, before prefill), so that whatever it
    /// refuses (too long with truncate off, bad context tokens, an image it cannot decode) fails here as a 400,
    /// before any API surface starts a stream whose status is then fixed. <see cref="CompletionPreparer"/> calls it.
    /// </summary>
    public async Task EnsureAcceptedAsync(CancellationToken cancellation)
    {
        _accepted ??= await Lease.Client.StartCompletionAsync(Request, cancellation).ConfigureAwait(false);
        PromptTokens = _accepted.PromptTokens;
    }

    private static async IAsyncEnumerable<CompletionChunk> ReadAcceptedAsync(RunnerCompletionReply accepted, [EnumeratorCancellation] CancellationToken cancellation)
    {
        using (accepted)
        {
            await foreach (var chunk in accepted.ReadAsync(cancellation).ConfigureAwait(false))
            {
                yield return chunk;
            }
        }
    }

    /// <summary>The runner's stream with thinking and tool calls parsed out as they complete.</summary>
    public async IAsyncEnumerable<CompletionEvent> EventsAsync([EnumeratorCancellation] CancellationToken cancellation)
    {
        var parser = Parsing == OutputParserOptions.PassThrough ? null : new StreamingOutputParser(Parsing);
        var events = new List<OutputEvent>();
        var firstOutput = 0L;
        await foreach (var chunk in StreamAsync(cancellation).ConfigureAwait(false))
        {
            events.Clear();
            if (firstOutput == 0)
            {
                firstOutput = Stopwatch.GetTimestamp();
            }

            if (chunk.Done)
            {
                ServerMetrics.RecordCompletion(Model.Name.DisplayShortest(), Started, firstOutput, chunk);
                parser?.Finish(events);
            }
            else if (parser is null)
            {
                yield return new CompletionEvent(CompletionEventKind.Content, chunk.Content ?? string.Empty, null, chunk.Logprobs, null);
                continue;
            }
            else
            {
                parser.Push(chunk.Content ?? string.Empty, events);
            }

            var logprobs = chunk.Logprobs;
            foreach (var e in events)
            {
                yield return e.Kind switch
                {
                    OutputEventKind.Thinking => new CompletionEvent(CompletionEventKind.Thinking, e.Text, null, null, null),
                    OutputEventKind.ToolCall => new CompletionEvent(CompletionEventKind.ToolCall, string.Empty, e.ToolCall, null, null),
                    _ => new CompletionEvent(CompletionEventKind.Content, e.Text, null, logprobs, null),
                };
                logprobs = null;
            }

            if (chunk.Done)
            {
                yield return new CompletionEvent(CompletionEventKind.Done, string.Empty, null, null, chunk);
            }
            else if (logprobs is not null)
            {
                // The text is held back (a possible marker) but its logprobs are not.
                yield return new CompletionEvent(CompletionEventKind.Content, string.Empty, null, logprobs, null);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _accepted?.Dispose();
        _accepted = null;

        await Lease.DisposeAsync().ConfigureAwait(false);
    }
}
