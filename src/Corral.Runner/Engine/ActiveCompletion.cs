using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using Corral.Llama;
using Corral.Runner.Engine.Admission;
using Corral.Runner.Engine.Sampling;
using Corral.Runner.Protocol;
using Corral.Runner.Text;

namespace Corral.Runner.Engine;

/// <summary>The state of one completion while it occupies a slot.</summary>
internal sealed class ActiveCompletion : IDisposable
{
    private readonly ChannelWriter<CompletionChunk> _output;
    private readonly StringBuilder _decoded = new();
    private readonly StringBuilder _emit = new();

    public ActiveCompletion(CompletionRequest request, LlamaToken[] prompt, ChannelWriter<CompletionChunk> output, CancellationToken cancellation)
    {
        Request = request;
        Prompt = prompt;
        _output = output;
        Cancellation = cancellation;
        Stops = new StopSequenceMatcher(request.Stop);
        Queued = Stopwatch.GetTimestamp();
    }

    public CompletionRequest Request { get; }

    public LlamaToken[] Prompt { get; }

    public CancellationToken Cancellation { get; }

    public TokenSampler? Sampler { get; set; }

    /// <summary>The LoRA scales every token of this request is evaluated with.</summary>
    public Adapters.AdapterScales Scales { get; init; } = Adapters.AdapterScales.None;

    public Utf8Accumulator Utf8 { get; } = new();

    public StopSequenceMatcher Stops { get; }

    /// <summary>Index of the next prompt token to evaluate; == Prompt.Length once prefill is done.</summary>
    public int PromptCursor { get; set; }

    public bool Prefilling => PromptCursor < Prompt.Length;

    /// <summary>The sampled token to feed at the next step.</summary>
    public LlamaToken Pending { get; set; }

    /// <summary>Row of this request's logits in the batch just decoded, or -1.</summary>
    public int LogitsRow { get; set; } = -1;

    /// <summary>Draft tokens that followed the pending token in the batch just decoded (their logits in the next rows).</summary>
    public int DraftCount { get; set; }

    /// <summary>The draft tokens of the batch just decoded; the first <see cref="DraftCount"/> count.</summary>
    public LlamaToken[]? Drafts { get; set; }

    /// <summary>Prompt tokens reused from the slot's cache (a part of <see cref="PromptEvalCount"/>).</summary>
    public int CachedTokens { get; set; }

    /// <summary>The prompt's images by their first prompt position (null for a text-only prompt).</summary>
    public Dictionary<int, MediaSpan>? Media { get; init; }

    /// <summary>Owns the image chunks <see cref="Media"/> points into.</summary>
    public Llama.Multimodal.MtmdChunks? MediaChunks { get; init; }

    /// <summary>The whole prompt (text tokens and image positions), however much of it came from the cache.</summary>
    public int PromptEvalCount { get; set; }

    public int Generated { get; set; }

    public List<int>? AllTokens { get; set; }

    public long Queued { get; }

    public long Started { get; set; }

    public long FirstToken { get; set; }

    public bool Finished { get; private set; }

    /// <summary>Turns a sampled token's bytes into text, holds back partial characters and possible stop strings, and sends what is safe.</summary>
    /// <returns>true when a stop sequence ended the completion.</returns>
    public bool EmitPiece(ReadOnlySpan<byte> piece, TokenLogprob? logprob)
    {
        _emit.Clear();
        var stopped = false;
        if (!Stops.HasStops)
        {
            // Nothing to hold back but partial characters: decode straight into what is sent.
            Utf8.Append(piece, _emit);
        }
        else
        {
            _decoded.Clear();
            Utf8.Append(piece, _decoded);
            foreach (var part in _decoded.GetChunks())
            {
                if (Stops.Push(part.Span, _emit))
                {
                    stopped = true;
                    break;
                }
            }
        }

        if (_emit.Length > 0 || logprob is not null)
        {
            _output.TryWrite(new CompletionChunk
            {
                Content = _emit.ToString(),
                Logprobs = logprob is null ? null : [logprob],
            });
        }

        return stopped;
    }

    public void Finish(string doneReason, bool stoppedBySequence)
    {
        if (Finished)
        {
            return;
        }

        Finished = true;
        if (!stoppedBySequence)
        {
            _decoded.Clear();
            Utf8.Flush(_decoded);
            _emit.Clear();
            foreach (var part in _decoded.GetChunks())
            {
                Stops.Push(part.Span, _emit);
            }

            Stops.Flush(_emit);
            if (_emit.Length > 0)
            {
                _output.TryWrite(new CompletionChunk { Content = _emit.ToString() });
            }
        }

        var now = Stopwatch.GetTimestamp();
        var firstToken = FirstToken == 0 ? now : FirstToken;
        _output.TryWrite(new CompletionChunk
        {
            Done = true,
            DoneReason = doneReason,
            StopSequence = stoppedBySequence ? Stops.Matched : null,
            PromptEvalCount = PromptEvalCount,
            PromptEvalDuration = ToNanoseconds(firstToken - Started),
            EvalCount = Generated,
            EvalDuration = ToNanoseconds(now - firstToken),
            CachedTokens = CachedTokens,
            Tokens = AllTokens?.ToArray(),
        });
        _output.TryComplete();
    }

    public void Fail(string error)
    {
        if (Finished)
        {
            return;
        }

        Finished = true;
        _output.TryWrite(new CompletionChunk { Done = true, Error = error });
        _output.TryComplete();
    }

    /// <summary>The client went away: end the stream without a final chunk.</summary>
    public void Abandon()
    {
        Finished = true;
        _output.TryComplete();
    }

    public void Dispose()
    {
        Sampler?.Dispose();
        MediaChunks?.Dispose();
    }

    private static long ToNanoseconds(long ticks) => (long)(ticks * (1_000_000_000.0 / Stopwatch.Frequency));
}
