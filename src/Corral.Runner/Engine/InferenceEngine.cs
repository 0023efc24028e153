using System.Collections.Concurrent;
using System.Threading.Channels;
using Corral.Llama;
using Corral.Runner.Engine.Admission;
using Corral.Runner.Engine.Batching;
using Corral.Runner.Engine.OneShot;
using Corral.Runner.Engine.Slots;
using Corral.Runner.Protocol;
using Microsoft.Extensions.Logging;

namespace Corral.Runner.Engine;

/// <summary>
/// One llama context served to many requests. A single thread owns the context (it is not thread-safe) and runs the
/// loop: one-shot work (embeddings, rerank) between steps, then a step of continuous batching (<see cref="BatchLoop"/>).
/// Requests are admitted on their own threads (<see cref="CompletionAdmission"/>: tokens, truncation, sampler, images)
/// and join the loop at its next step; the slots and their prefix cache are the <see cref="SlotTable"/>.
/// </summary>
public sealed partial class InferenceEngine : IDisposable
{
    private readonly LlamaModel _model;
    private readonly EngineOptions _options;
    private readonly ILogger _logger;
    private readonly LlamaBatch _batch;
    private readonly SlotTable _slots;
    private readonly MediaPrompts _media;
    private readonly CompletionAdmission _admission;
    private readonly Sampling.DryTemplates _dry;
    private readonly BatchLoop _loop;
    private readonly Speculation.Drafter? _drafter;
    private readonly SequencePooling _pooling;
    private readonly ConcurrentQueue<ActiveCompletion> _incoming = new();
    private readonly OneShotQueue<EmbeddingRequest, EmbeddingResponse> _embeddings = new(static (error, refused) => new EmbeddingResponse { Error = error, Refused = refused });
    private readonly OneShotQueue<RerankRequest, RerankResponse> _reranks = new(static (error, refused) => new RerankResponse { Error = error, Refused = refused });
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;

    /// <param name="model">The loaded model.</param>
    /// <param name="context">The context the slots decode in.</param>
    /// <param name="options">Slots, batch size and cache settings.</param>
    /// <param name="logger">Where the engine logs.</param>
    /// <param name="projector">The multimodal projector for images, owned by the engine from now on; null for a text-only model.</param>
    /// <param name="adapters">The LoRA adapters loaded with the model, in the server's order; none when null.</param>
    /// <param name="drafter">The draft model for speculative decoding, owned by the engine from now on; null for none.</param>
    public InferenceEngine(
        LlamaModel model, LlamaContext context, EngineOptions options, ILogger logger, Llama.Multimodal.MtmdContext? projector = null,
        IReadOnlyList<LlamaLoraAdapter>? adapters = null, Speculation.Drafter? drafter = null)
    {
        _drafter = drafter;
        var loras = adapters is { Count: > 0 } ? new Adapters.LoraAdapterSet(adapters) : Adapters.LoraAdapterSet.Empty;
        loras.Apply(context, loras.Default); // what embeddings and a fresh context use
        _model = model;
        _options = options;
        _logger = logger;
        _batch = new LlamaBatch(Math.Max(options.BatchSize, options.Slots), options.Slots);
        _slots = new SlotTable(context, model, options.Slots, options.PromptCacheBytes > 0 && !options.Embedding ? new PromptCache(options.PromptCacheBytes) : null, loras.Default);
        _media = new MediaPrompts(model, options, projector);
        _dry = new Sampling.DryTemplates(model.Vocab);
        _admission = new CompletionAdmission(model, options, _media, loras, _dry);
        _loop = new BatchLoop(model, context, _batch, _slots, options, projector, loras, logger, drafter);
        _pooling = new SequencePooling(model, context, _batch, _slots, options);
        _thread = new Thread(Run) { IsBackground = true, Name = "corral-inference" };
        _thread.Start();
    }

    public int SlotCount => _slots.Count;

    /// <summary>Draft tokens the model checked (speculative decoding).</summary>
    public long DraftTokensDrafted => _drafter?.Drafted ?? 0;

    /// <summary>Draft tokens the model agreed with.</summary>
    public long DraftTokensAccepted => _drafter?.Accepted ?? 0;

    public int ActiveSlots => _slots.ActiveSlots;

    public long PrefixCacheHitTokens => _slots.PrefixCacheHitTokens;

    public long KvCellsUsed => _slots.KvCellsUsed;

    /// <summary>Prompt tokens copied from another slot's KV instead of evaluated.</summary>
    public long SharedPrefixTokens => _slots.SharedPrefixTokens;

    /// <summary>llama_decode calls made for completions.</summary>
    public long DecodeSteps => _loop.DecodeSteps;

    /// <summary>Of <see cref="DecodeSteps"/>, those llama.cpp had to split because their sequences skipped an id.</summary>
    public long SplitDecodeSteps => _loop.SplitDecodeSteps;

    /// <summary>Prompt tokens restored from the host-memory prompt cache instead of evaluated.</summary>
    public long PromptCacheRestoredTokens => _slots.Cache?.RestoredTokens ?? 0;

    /// <summary>Bytes the host-memory prompt cache holds now.</summary>
    public long PromptCacheBytes => _slots.Cache?.Bytes ?? 0;

    /// <summary>Tokenizes with the model's vocabulary (special tokens parsed, BOS added when the model wants it).</summary>
    public LlamaToken[] Tokenize(string text, bool addSpecial = true, bool parseSpecial = true) =>
        _model.Vocab.Tokenize(text, addSpecial, parseSpecial);

    /// <summary>All of the text's tokens, or, when it has more than <paramref name="limit"/>, possibly only a leading part longer than that.</summary>
    public LlamaToken[] Tokenize(string text, bool addSpecial, bool parseSpecial, int limit) =>
        Admission.LongTextTokens.Head(_model.Vocab, text, limit, addSpecial, parseSpecial) ?? _model.Vocab.Tokenize(text, addSpecial, parseSpecial);

    /// <summary>Token ids run from 0 to this, exclusive.</summary>
    public int VocabularySize => _model.Vocab.Count;

    public string Detokenize(ReadOnlySpan<LlamaToken> tokens) => _model.Vocab.Detokenize(tokens, removeSpecial: false, unparseSpecial: true);

    /// <summary>How many context positions each image takes with this model's projector (thread-safe).</summary>
    /// <exception cref="InvalidCompletionException">The model takes no images, or an image cannot be decoded.</exception>
    public int[] CountImageTokens(IReadOnlyList<byte[]> images) => _media.CountImageTokens(images);

    /// <summary>Queues a completion; its chunks arrive on the returned reader, the last one with Done set.</summary>
    /// <param name="request">The completion to run.</param>
    /// <param name="cancellation">Cancels the completion and frees its slot.</param>
    /// <exception cref="InvalidCompletionException">
    /// The request cannot be served as sent (a prompt longer than the context with truncate off, token ids outside
    /// the vocabulary, a grammar llama.cpp rejects, an image it cannot use): the host answers 400 before streaming.
    /// </exception>
    /// <param name="promptTokens">The prompt's length in context positions once admitted (0 when admission failed
    /// inside llama.cpp): the server can report it before the first token.</param>
    public ChannelReader<CompletionChunk> Submit(CompletionRequest request, CancellationToken cancellation, out int promptTokens)
    {
        promptTokens = 0;
        if (_options.Embedding)
        {
            throw new InvalidCompletionException("this model does not support generate");
        }

        var channel = Channel.CreateUnbounded<CompletionChunk>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        ActiveCompletion admitted;
        try
        {
            admitted = _admission.Admit(request, channel.Writer, cancellation);
        }
        catch (Exception ex) when (ex is ArgumentException or LlamaException)
        {
            // Not the client's doing (tokenizer or sampler failures inside llama.cpp): an error chunk, a 500.
            channel.Writer.TryWrite(new CompletionChunk { Done = true, Error = ex.Message });
            channel.Writer.TryComplete();
            return channel.Reader;
        }

        promptTokens = admitted.Prompt.Length;
        _incoming.Enqueue(admitted);
        _wake.Release();
        cancellation.Register(static s => ((SemaphoreSlim)s!).Release(), _wake);
        return channel.Reader;
    }

    /// <summary>Embeds a batch of inputs, evaluated together as separate sequences.</summary>
    public Task<EmbeddingResponse> EmbedAsync(EmbeddingRequest request, CancellationToken cancellation) =>
        Wake(_embeddings.Enqueue(request, cancellation));

    /// <summary>Scores documents against a query (reranker models: rank pooling); the pairs are evaluated together as separate sequences.</summary>
    public Task<RerankResponse> RerankAsync(RerankRequest request, CancellationToken cancellation) =>
        Wake(_reranks.Enqueue(request, cancellation));

    public void Dispose()
    {
        _stop.Cancel();
        _wake.Release();
        _thread.Join(TimeSpan.FromSeconds(10));
        _batch.Dispose();
        _media.Dispose();
        _dry.Dispose();
        _drafter?.Dispose();
        _stop.Dispose();
        _wake.Dispose();
    }

    private Task<T> Wake<T>(Task<T> queued)
    {
        _wake.Release();
        return queued;
    }

    private void Run()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                _embeddings.Serve(_pooling.Embed);
                _reranks.Serve(_pooling.Rerank);
                while (_incoming.TryDequeue(out var request))
                {
                    _loop.Enqueue(request);
                }

                _loop.AdmitWaiting();
                if (!_loop.Step())
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
            _loop.FailAll($"runner failed: {ex.Message}");
            throw;
        }
        finally
        {
            while (_incoming.TryDequeue(out var queued))
            {
                _loop.Enqueue(queued);
            }

            _loop.FailAll("runner is shutting down");
            _embeddings.FailAll("runner is shutting down");
            _reranks.FailAll("runner is shutting down");
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "inference loop crashed")]
    private partial void LogLoopCrashed(Exception ex);
}
