using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Corral.Llama;
using Corral.Runner.Protocol;
using Microsoft.Extensions.Logging;

namespace Corral.Runner.Engine;

/// <summary>
/// Continuous batching over one llama context: a single thread owns the context and,
/// at every step, decodes one batch holding the next token of every generating slot
/// plus prompt chunks of slots still prefilling. New requests join at the next step;
/// a cancelled request leaves at the next step.
/// </summary>
public sealed partial class InferenceEngine : IDisposable
{
    private readonly LlamaModel _model;
    private readonly LlamaContext _context;
    private readonly EngineOptions _options;
    private readonly ILogger _logger;
    private readonly Slot[] _slots;
    private readonly LlamaBatch _batch;
    private readonly ConcurrentQueue<ActiveCompletion> _incoming = new();
    private readonly ConcurrentQueue<PendingEmbedding> _embeddings = new();
    private readonly List<ActiveCompletion> _waiting = [];
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private readonly byte[] _pieceBuffer = new byte[256];
    private long _useClock;
    private long _prefixHitTokens;

    /// <param name="projector">The multimodal projector for images, owned by the engine from now on; null for a text-only model.</param>
    public InferenceEngine(LlamaModel model, LlamaContext context, EngineOptions options, ILogger logger, Llama.Multimodal.MtmdContext? projector = null)
    {
        _model = model;
        _context = context;
        _projector = projector;
        _options = options;
        _logger = logger;
        _slots = new Slot[options.Slots];
        for (var i = 0; i < _slots.Length; i++)
        {
            _slots[i] = new Slot(i);
        }

        _batch = new LlamaBatch(Math.Max(options.BatchSize, options.Slots), options.Slots);
        _thread = new Thread(Run) { IsBackground = true, Name = "corral-inference" };
        _thread.Start();
    }

    public int SlotCount => _slots.Length;

    public int ActiveSlots => _slots.Count(s => !s.IsFree);

    public long PrefixCacheHitTokens => Interlocked.Read(ref _prefixHitTokens);

    public long KvCellsUsed => _slots.Sum(s => (long)s.Cached.Count);

    /// <summary>Tokenizes with the model's vocabulary (special tokens parsed, BOS added when the model wants it).</summary>
    public LlamaToken[] Tokenize(string text, bool addSpecial = true, bool parseSpecial = true) =>
        _model.Vocab.Tokenize(text, addSpecial, parseSpecial);

    public string Detokenize(ReadOnlySpan<LlamaToken> tokens) => _model.Vocab.Detokenize(tokens, removeSpecial: false, unparseSpecial: true);

    /// <summary>Queues a completion; its chunks arrive on the returned reader, the last one with Done set.</summary>
    /// <exception cref="InvalidCompletionException">
    /// The request cannot be served as sent (a prompt longer than the context with truncate off, token ids outside
    /// the vocabulary, a grammar llama.cpp rejects, an image it cannot use): the host answers 400 before streaming.
    /// </exception>
    public ChannelReader<CompletionChunk> Submit(CompletionRequest request, CancellationToken cancellation)
    {
        if (_options.Embedding)
        {
            throw new InvalidCompletionException("this model does not support generate");
        }

        var channel = Channel.CreateUnbounded<CompletionChunk>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        LlamaToken[] prompt;
        Llama.Multimodal.MtmdChunks? mediaChunks = null;
        Dictionary<int, MediaSpan>? media = null;
        TokenSampler? sampler = null;
        try
        {
            prompt = request.Images is { Count: > 0 } ? BuildMediaPrompt(request, out mediaChunks, out media) : BuildPrompt(request);
            sampler = CreateSampler(request, prompt);
        }
        catch (Exception ex) when (ex is ArgumentException or LlamaException)
        {
            // Not the client's doing (tokenizer or sampler failures inside llama.cpp): an error chunk, a 500.
            mediaChunks?.Dispose();
            channel.Writer.TryWrite(new CompletionChunk { Done = true, Error = ex.Message });
            channel.Writer.TryComplete();
            return channel.Reader;
        }
        catch
        {
            mediaChunks?.Dispose();
            throw;
        }

        _incoming.Enqueue(new ActiveCompletion(request, prompt, channel.Writer, cancellation) { Media = media, MediaChunks = mediaChunks, Sampler = sampler });
        _wake.Release();
        cancellation.Register(static s => ((SemaphoreSlim)s!).Release(), _wake);
        return channel.Reader;
    }

    /// <summary>
    /// Builds the request's sampler on the request thread (samplers only read the vocabulary), so that what the
    /// client got wrong is refused before streaming rather than failing the stream.
    /// </summary>
    private TokenSampler CreateSampler(CompletionRequest request, LlamaToken[] prompt)
    {
        if (request.Sampling.LogitBias is { Count: > 0 } bias)
        {
            var vocabSize = _model.Vocab.Count;
            foreach (var token in bias.Keys)
            {
                if (token < 0 || token >= vocabSize)
                {
                    throw new InvalidCompletionException($"invalid token id {token} in logit_bias");
                }
            }
        }

        try
        {
            return TokenSampler.Create(_model, request.Sampling, _options.ContextPerSlot, prompt);
        }
        catch (LlamaGrammarException ex)
        {
            throw new InvalidCompletionException($"invalid grammar: {ex.Message}");
        }
    }

    /// <summary>Embeds a batch of inputs, evaluated together as separate sequences.</summary>
    public Task<EmbeddingResponse> EmbedAsync(EmbeddingRequest request, CancellationToken cancellation)
    {
        var pending = new PendingEmbedding(request, cancellation);
        _embeddings.Enqueue(pending);
        _wake.Release();
        return pending.Completion.Task;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _wake.Release();
        _thread.Join(TimeSpan.FromSeconds(10));
        _batch.Dispose();
        _projector?.Dispose();
        _stop.Dispose();
        _wake.Dispose();
    }

    /// <summary>Ollama's runner message, word for word: clients match on it.</summary>
    internal const string InputTooLong = "the input length exceeds the context length";

    private LlamaToken[] BuildPrompt(CompletionRequest request)
    {
        LlamaToken[] tokens;
        if (request.Tokens is { } given)
        {
            tokens = new LlamaToken[given.Length];
            for (var i = 0; i < given.Length; i++)
            {
                tokens[i] = new LlamaToken(given[i]);
            }
        }
        else
        {
            // A continuation of an earlier exchange (generate's `context`) must not get a second BOS.
            var addSpecial = request.PrefixTokens is not { Length: > 0 };
            tokens = _model.Vocab.Tokenize(request.Prompt, addSpecial, parseSpecial: true);
            if (request.PrefixTokens is { Length: > 0 } prefix)
            {
                var joined = new LlamaToken[prefix.Length + tokens.Length];
                for (var i = 0; i < prefix.Length; i++)
                {
                    joined[i] = new LlamaToken(prefix[i]);
                }

                tokens.CopyTo(joined, prefix.Length);
                tokens = joined;
            }
        }

        var vocabSize = _model.Vocab.Count;
        foreach (var t in tokens)
        {
            if (t.Value < 0 || t.Value >= vocabSize)
            {
                throw new InvalidCompletionException($"invalid token id {t.Value} in context");
            }
        }

        if (tokens.Length == 0)
        {
            // Nothing to condition on: start from BOS so the model has a first position.
            tokens = _model.Vocab.Bos is { } bos ? [bos] : throw new InvalidCompletionException("no input provided");
        }

        var limit = _options.ContextPerSlot;
        if (tokens.Length >= limit)
        {
            if (!request.Truncate)
            {
                throw new InvalidCompletionException(InputTooLong);
            }

            tokens = TruncatePrompt(tokens, Math.Clamp(request.NumKeep, 0, limit - 1), limit - 1);
        }

        return tokens;
    }

    /// <summary>Keeps the first <paramref name="keep"/> tokens and the newest rest, dropping the oldest in between (Ollama's truncation).</summary>
    internal static LlamaToken[] TruncatePrompt(LlamaToken[] tokens, int keep, int target)
    {
        var tail = target - keep;
        var result = new LlamaToken[target];
        tokens.AsSpan(0, keep).CopyTo(result);
        tokens.AsSpan(tokens.Length - tail).CopyTo(result.AsSpan(keep));
        return result;
    }

    private void Run()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                ServeEmbeddings();
                ServeReranks();
                AdmitWaiting();
                if (!Step())
                {
                    _wake.Wait(_stop.Token);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogLoopCrashed(ex);
            foreach (var slot in _slots)
            {
                slot.Request?.Fail($"runner failed: {ex.Message}");
            }

            throw;
        }
        finally
        {
            foreach (var slot in _slots)
            {
                slot.Request?.Fail("runner is shutting down");
                slot.Request?.Dispose();
            }

            while (_incoming.TryDequeue(out var queued))
            {
                _waiting.Add(queued);
            }

            foreach (var waiting in _waiting)
            {
                waiting.Fail("runner is shutting down");
                waiting.Dispose(); // its sampler and image chunks
            }

            _waiting.Clear();
        }
    }

    /// <summary>Moves queued requests into free slots, each into the slot whose cache shares the longest prefix with its prompt.</summary>
    private void AdmitWaiting()
    {
        while (_incoming.TryDequeue(out var request))
        {
            _waiting.Add(request);
        }

        for (var w = 0; w < _waiting.Count; w++)
        {
            var request = _waiting[w];
            if (request.Cancellation.IsCancellationRequested)
            {
                request.Abandon();
                request.Dispose();
                _waiting.RemoveAt(w--);
                continue;
            }

            var slot = ChooseSlot(request.Prompt);
            if (slot is null)
            {
                break; // all slots busy: wait for one to free up, keep FIFO order
            }

            _waiting.RemoveAt(w--);
            Assign(slot, request);
        }
    }

    private Slot? ChooseSlot(LlamaToken[] prompt)
    {
        Slot? best = null;
        var bestLength = -1;
        foreach (var slot in _slots)
        {
            if (!slot.IsFree)
            {
                continue;
            }

            var length = slot.CommonPrefixLength(prompt);
            if (length > bestLength || (length == bestLength && slot.LastUsed < best!.LastUsed))
            {
                best = slot;
                bestLength = length;
            }
        }

        return best;
    }

    private void Assign(Slot slot, ActiveCompletion request)
    {
        var reuse = slot.CommonPrefixLength(request.Prompt);
        if (reuse == request.Prompt.Length)
        {
            reuse--; // the last prompt token must be evaluated again to get its logits
        }

        reuse = AlignReuseToMedia(request, reuse);

        if (reuse < slot.Cached.Count)
        {
            if (!_context.SeqRemove(slot.Seq, reuse, -1))
            {
                // The cache cannot drop a partial range (some recurrent models): start the sequence afresh.
                _context.SeqRemove(slot.Seq, -1, -1);
                reuse = 0;
            }

            slot.Cached.RemoveRange(reuse, slot.Cached.Count - reuse);
        }

        request.PromptCursor = reuse;
        request.CachedTokens = reuse;
        // Ollama (and llama-server's cache_n + prompt_n) count the whole prompt, cached or not; what the
        // cache saved is reported beside it as cached_tokens.
        request.PromptEvalCount = request.Prompt.Length;
        request.Started = Stopwatch.GetTimestamp();
        if (request.Request.ReturnTokens)
        {
            request.AllTokens = new List<int>(request.Prompt.Length + 64);
            foreach (var t in request.Prompt)
            {
                if (t.Value >= 0) // image positions (pseudo tokens) cannot travel back as context
                {
                    request.AllTokens.Add(t.Value);
                }
            }
        }

        Interlocked.Add(ref _prefixHitTokens, reuse);
        slot.Request = request;
        slot.LastUsed = ++_useClock;
    }

    /// <summary>Builds and decodes one batch, then samples for every slot that got logits. Returns false when idle.</summary>
    private bool Step()
    {
        var mediaEvaluated = _projector is not null && EvaluateMediaAtCursors();
        _batch.Clear();
        var capacity = _batch.Capacity;

        // Generating slots first: one token each keeps every stream moving.
        foreach (var slot in _slots)
        {
            var request = slot.Request;
            if (request is null)
            {
                continue;
            }

            request.LogitsRow = -1;
            if (request.Cancellation.IsCancellationRequested)
            {
                Release(slot, abandon: true);
                continue;
            }

            if (request.Prefilling)
            {
                continue;
            }

            if (slot.Cached.Count >= _options.ContextPerSlot && !MakeRoom(slot, request))
            {
                continue;
            }

            request.LogitsRow = _batch.Count;
            _batch.Add(request.Pending, slot.Cached.Count, slot.Seq, logits: true);
            slot.Cached.Add(request.Pending);
        }

        // Then prompt chunks in the remaining room.
        foreach (var slot in _slots)
        {
            var request = slot.Request;
            if (request is null || !request.Prefilling)
            {
                continue;
            }

            while (request.Prefilling && _batch.Count < capacity && request.Media?.ContainsKey(request.PromptCursor) != true)
            {
                var token = request.Prompt[request.PromptCursor++];
                var last = !request.Prefilling;
                if (last)
                {
                    request.LogitsRow = _batch.Count;
                }

                _batch.Add(token, slot.Cached.Count, slot.Seq, logits: last);
                slot.Cached.Add(token);
            }
        }

        if (_batch.Count == 0)
        {
            return mediaEvaluated;
        }

        try
        {
            _context.Decode(_batch);
        }
        catch (LlamaDecodeException ex)
        {
            LogDecodeFailed(ex.Message);
            foreach (var slot in _slots)
            {
                if (slot.Request is { LogitsRow: >= 0 } || slot.Request is { Prefilling: true })
                {
                    slot.Request!.Fail($"llama_decode failed: {ex.Message}");
                    _context.SeqRemove(slot.Seq, -1, -1);
                    slot.Cached.Clear();
                    Release(slot, abandon: false);
                }
            }

            return true;
        }

        foreach (var slot in _slots)
        {
            if (slot.Request is { LogitsRow: >= 0 } request)
            {
                SampleNext(slot, request);
            }
        }

        return true;
    }

    /// <summary>The slot's context is full: shift it (drop the oldest half after num_keep, never part of an image: <see cref="ContextShift"/>) or end with "length".</summary>
    private bool MakeRoom(Slot slot, ActiveCompletion request)
    {
        if (!request.Request.Shift || !_context.CanShift)
        {
            request.Finish("length", stoppedBySequence: false);
            Release(slot, abandon: false);
            return false;
        }

        var used = slot.Cached.Count;
        var (keep, discard) = ContextShift.Plan(slot.Cached, request.Request.NumKeep);
        LogContextShift(slot.Index, used, keep, discard);
        _context.SeqRemove(slot.Seq, keep, keep + discard);
        _context.SeqAdd(slot.Seq, keep + discard, used, -discard);
        slot.Cached.RemoveRange(keep, discard);
        return true;
    }

    private void SampleNext(Slot slot, ActiveCompletion request)
    {
        var row = request.LogitsRow;
        TokenLogprob? logprob = null;
        var token = request.Sampler!.Sample(_context, row);
        if (request.Request.Logprobs)
        {
            logprob = Logprobs.Compute(_model.Vocab, _context.GetLogits(row), token, request.Request.TopLogprobs);
        }

        if (request.FirstToken == 0)
        {
            request.FirstToken = Stopwatch.GetTimestamp();
        }

        if (_model.Vocab.IsEog(token))
        {
            request.Finish("stop", stoppedBySequence: false);
            Release(slot, abandon: false);
            return;
        }

        request.Generated++;
        request.AllTokens?.Add(token.Value);
        var length = _model.Vocab.TokenToPiece(token, _pieceBuffer, special: false);
        var piece = length > 0 ? _pieceBuffer.AsSpan(0, length) : ReadOnlySpan<byte>.Empty;
        if (request.EmitPiece(piece, logprob))
        {
            request.Finish("stop", stoppedBySequence: true);
            Release(slot, abandon: false);
            return;
        }

        var limit = request.Request.NumPredict;
        if ((limit >= 0 && request.Generated >= limit) || (limit == -2 && slot.Cached.Count + 1 >= _options.ContextPerSlot))
        {
            request.Finish("length", stoppedBySequence: false);
            Release(slot, abandon: false);
            return;
        }

        request.Pending = token;
    }

    private void Release(Slot slot, bool abandon)
    {
        var request = slot.Request;
        if (request is null)
        {
            return;
        }

        if (abandon)
        {
            request.Abandon();
        }

        request.Dispose();
        slot.Request = null;
        slot.LastUsed = ++_useClock;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "inference loop crashed")]
    private partial void LogLoopCrashed(Exception ex);

    [LoggerMessage(Level = LogLevel.Debug, Message = "context shift: slot {Slot} held {Used} positions, dropped {Count} from {Start}")]
    private partial void LogContextShift(int slot, int used, int start, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "decode failed: {Reason}")]
    private partial void LogDecodeFailed(string reason);
}
