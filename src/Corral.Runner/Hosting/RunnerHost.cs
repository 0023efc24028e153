using System.Diagnostics;
using System.Text.Json;
using Corral.Llama;
using Corral.Models.Gguf;
using Corral.Runner.Engine;
using Corral.Runner.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Corral.Runner.Hosting;

/// <summary>
/// The <c>corral runner</c> process: listens on a Unix socket at once (so the server can
/// watch load progress), loads the model in the background, then serves completions,
/// embeddings, rerank scores and tokenization over the private NDJSON protocol.
/// </summary>
public sealed partial class RunnerHost
{
    private readonly RunnerLaunchOptions _options;
    private readonly RunnerHealth _health = new();
    private InferenceEngine? _engine;
    private LlamaThreadpool? _threadpool;
    private ILogger _logger = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public RunnerHost(RunnerLaunchOptions options)
    {
        _options = options;
    }

    public async Task<int> RunAsync(CancellationToken cancellation)
    {
        if (_options.ExitWithStdin)
        {
            // The server is gone: nobody can reach this runner again. Leave no socket (or the private folder the
            // server made for it) behind.
            ParentLifeline.ExitWhenStdinCloses(() => RemoveSocket(_options.SocketPath));
        }

        if (File.Exists(_options.SocketPath))
        {
            File.Delete(_options.SocketPath);
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // One line per entry, no colours: the server forwards these lines to its own log at their level (RunnerOutputLog).
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.ColorBehavior = LoggerColorBehavior.Disabled;
        });
        builder.Logging.SetMinimumLevel(Environment.GetEnvironmentVariable("OLLAMA_DEBUG") is "1" or "true" ? LogLevel.Debug : LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.ListenUnixSocket(_options.SocketPath);
            // Only the server reaches this socket (a private folder), and it has bounded every body already; Kestrel's
            // 30 MB default refused large prompts the server had accepted, which read as a dead runner.
            k.Limits.MaxRequestBodySize = null;
        });
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, RunnerJsonContext.Default));
        var app = builder.Build();
        _logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("runner");

        app.UseMemoryRelief();
        app.MapGet("/health", () => Results.Json(Snapshot(), RunnerJsonContext.Default.RunnerHealth));
        app.MapPost("/completion", CompletionAsync);
        app.MapPost("/embedding", EmbeddingAsync);
        app.MapPost("/rerank", RerankAsync);
        app.MapPost("/tokenize", TokenizeAsync);
        app.MapPost("/detokenize", DetokenizeAsync);

        await app.StartAsync(cancellation).ConfigureAwait(false);
        var loading = Task.Run(() => Load(cancellation), cancellation);
        try
        {
            await Task.WhenAny(loading, Task.Delay(Timeout.Infinite, cancellation)).ConfigureAwait(false);
            if (loading.IsCompletedSuccessfully && !loading.Result)
            {
                // Keep answering /health with the error for a moment so the server reads the reason.
                await Task.Delay(TimeSpan.FromSeconds(30), cancellation).ConfigureAwait(false);
                return 1;
            }

            await Task.Delay(Timeout.Infinite, cancellation).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            _engine?.Dispose();
            _threadpool?.Dispose(); // after the engine's thread, the only one that decodes, has stopped
            File.Delete(_options.SocketPath);
        }

        return 0;
    }

    private RunnerHealth Snapshot()
    {
        lock (_health)
        {
            var engine = _engine;
            return new RunnerHealth
            {
                Status = _health.Status,
                Progress = _health.Progress,
                Error = _health.Error,
                Refused = _health.Refused,
                Slots = _options.Parallel,
                ContextLength = _options.ContextPerSlot,
                ActiveSlots = engine?.ActiveSlots ?? 0,
                KvCellsUsed = engine?.KvCellsUsed ?? 0,
                PrefixCacheHitTokens = engine?.PrefixCacheHitTokens ?? 0,
                SharedPrefixTokens = engine?.SharedPrefixTokens ?? 0,
                PromptCacheRestoredTokens = engine?.PromptCacheRestoredTokens ?? 0,
                PromptCacheBytes = engine?.PromptCacheBytes ?? 0,
                DraftTokensDrafted = engine?.DraftTokensDrafted ?? 0,
                DraftTokensAccepted = engine?.DraftTokensAccepted ?? 0,
                DecodeSteps = engine?.DecodeSteps ?? 0,
                SplitDecodeSteps = engine?.SplitDecodeSteps ?? 0,
                LoadDuration = _health.LoadDuration,
            };
        }
    }

    private bool Load(CancellationToken cancellation)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            LlamaBackend.EnsureInitialized(_logger);
            var progress = new Progress<float>(p =>
            {
                lock (_health)
                {
                    _health.Progress = p;
                }
            });
            var model = LlamaModel.Load(
                _options.ModelPath,
                new LlamaModelLoadOptions
                {
                    GpuLayers = _options.GpuLayers,
                    MainGpu = _options.MainGpu,
                    TensorSplit = _options.TensorSplit.Count > 0 ? [.. _options.TensorSplit.Select(n => (float)n)] : null,
                    UseMmap = _options.UseMmap,
                },
                progress,
                cancellation);
            // Adapters load against the model before any context exists; one llama.cpp refuses fails the load (a 400).
            var adapters = _options.AdapterPaths.Select(path => LlamaLoraAdapter.Load(model, path)).ToList();
            var threads = ChooseThreads(_options, new FileInfo(_options.ModelPath).Length);
            var slots = _options.Parallel;
            var batch = _options.BatchSize;
            if (_options.Embedding)
            {
                // Non-causal models see a whole input in one micro-batch; several inputs share a batch.
                batch = Math.Max(batch, _options.ContextPerSlot);
                slots = Math.Max(slots, 8);
            }

            // A batch never needs more positions than the whole context holds (llama.cpp clamps n_batch the same
            // way); without this a num_batch of a million would size the engine's batch and ggml's compute buffers.
            batch = Math.Clamp(batch, 1, _options.ContextPerSlot * slots);

            var context = LlamaContext.Create(model, new LlamaContextOptions
            {
                ContextSize = _options.ContextPerSlot * slots,
                BatchSize = batch,
                UBatchSize = batch,
                SeqMax = slots,
                Threads = threads,
                BatchThreads = threads,
                Embeddings = _options.Embedding,
                FlashAttention = ParseFlashAttention(_options.FlashAttention),
                TypeK = ParseCacheType(_options.KvCacheType),
                TypeV = ParseCacheType(_options.KvCacheType),
            });
            // Persistent workers for the decode loop, as llama-server has (else ggml starts threads at every decode).
            _threadpool = LlamaThreadpool.TryCreate(threads);
            _threadpool?.AttachTo(context);
            // The projector (vision models) loads with the model: a broken one fails the load, not a request.
            var projector = _options.ProjectorPath is { } projectorPath
                ? Llama.Multimodal.MtmdContext.Load(projectorPath, model, threads, useGpu: _options.GpuLayers != 0)
                : null;
            var drafter = _options.DraftModelPath is { } draftPath && !_options.Embedding
                ? LoadDrafter(model, draftPath, slots, batch, threads, cancellation)
                : null;
            var engine = new InferenceEngine(model, context, new EngineOptions
            {
                ContextPerSlot = _options.ContextPerSlot,
                Slots = slots,
                BatchSize = batch,
                Embedding = _options.Embedding,
                PromptCacheBytes = Math.Max(0, _options.PromptCacheMegabytes) * 1024L * 1024,
                PrefillChunk = PrefillChunkFromEnvironment() ?? new EngineOptions().PrefillChunk,
            }, _logger, projector, adapters, drafter);
            lock (_health)
            {
                _engine = engine;
                _health.Status = RunnerHealth.Ready;
                _health.Progress = 1;
                _health.LoadDuration = (long)Stopwatch.GetElapsedTime(started).TotalNanoseconds;
            }

            return true;
        }
        catch (Exception ex) when (ex is LlamaException or ArgumentException or IOException or OperationCanceledException)
        {
            LogLoadFailed(ex.Message);
            lock (_health)
            {
                _health.Status = RunnerHealth.Failed;
                _health.Error = ex.Message;
                _health.Refused = ex is LlamaAdapterLoadException;
            }

            return false;
        }
    }

    /// <summary>
    /// The draft model of speculative decoding, in its own context with one sequence per slot (as long as the
    /// target's, so that it can follow every slot to its end). Refused when its vocabulary is not the target's.
    /// </summary>
    private Engine.Speculation.Drafter LoadDrafter(LlamaModel target, string path, int slots, int batch, int threads, CancellationToken cancellation)
    {
        var draft = LlamaModel.Load(
            path,
            new LlamaModelLoadOptions { GpuLayers = _options.GpuLayers, MainGpu = _options.MainGpu, UseMmap = _options.UseMmap },
            progress: null,
            cancellation);
        try
        {
            if (Engine.Speculation.Drafter.Incompatibility(target, draft) is { } reason)
            {
                throw new ArgumentException(reason);
            }

            // Threads chosen for the draft's own size: a tiny draft decodes faster on one thread than with ggml's
            // barriers between several, and it decodes once per drafted position.
            var draftThreads = new FileInfo(path).Length < 64L * 1024 * 1024 ? 1 : threads;
            var context = LlamaContext.Create(draft, new LlamaContextOptions
            {
                ContextSize = _options.ContextPerSlot * slots,
                BatchSize = batch,
                UBatchSize = batch,
                SeqMax = slots,
                Threads = draftThreads,
                BatchThreads = draftThreads,
                FlashAttention = ParseFlashAttention(_options.FlashAttention),
                TypeK = ParseCacheType(_options.KvCacheType),
                TypeV = ParseCacheType(_options.KvCacheType),
            });
            return new Engine.Speculation.Drafter(draft, context, slots, batch);
        }
        catch
        {
            draft.Dispose();
            throw;
        }
    }

    /// <summary>CORRAL_PREFILL_CHUNK: a tuning knob for <see cref="EngineOptions.PrefillChunk"/> (the server's environment reaches its runners).</summary>
    private static int? PrefillChunkFromEnvironment() =>
        int.TryParse(Environment.GetEnvironmentVariable("CORRAL_PREFILL_CHUNK"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var chunk) && chunk > 0
            ? chunk
            : null;

    /// <summary>
    /// num_thread when given, but never more than the machine's logical processors: ggml's workers spin while they
    /// wait, so extra threads only take cores from everything else (and over 512 ggml aborts). Otherwise one per core,
    /// except for tiny models (the generated test models), where ggml's thread barriers cost more than the arithmetic
    /// they split.
    /// </summary>
    internal static int ChooseThreads(RunnerLaunchOptions options, long modelBytes)
    {
        if (options.Threads > 0)
        {
            return Math.Min(options.Threads, Math.Max(1, Environment.ProcessorCount));
        }

        const long TinyModelBytes = 64L * 1024 * 1024;
        return modelBytes < TinyModelBytes ? 1 : Math.Max(1, Environment.ProcessorCount);
    }

    private static LlamaFlashAttention ParseFlashAttention(string value) => value.ToLowerInvariant() switch
    {
        "on" or "true" or "1" or "enabled" => LlamaFlashAttention.Enabled,
        "off" or "false" or "0" or "disabled" => LlamaFlashAttention.Disabled,
        _ => LlamaFlashAttention.Auto,
    };

    private static GgmlType ParseCacheType(string value) => value.ToLowerInvariant() switch
    {
        "q8_0" => GgmlType.Q8_0,
        "q4_0" => GgmlType.Q4_0,
        "f32" => GgmlType.F32,
        _ => GgmlType.F16,
    };

    private InferenceEngine? ReadyEngine(HttpContext http)
    {
        var engine = _engine;
        if (engine is null)
        {
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        }

        return engine;
    }

    private async Task CompletionAsync(HttpContext http)
    {
        var engine = ReadyEngine(http);
        if (engine is null)
        {
            return;
        }

        var abort = http.RequestAborted;
        var request = await JsonBody.ReadAsync(http.Request, RunnerJsonContext.Default.CompletionRequest, abort).ConfigureAwait(false);
        if (request is null)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        System.Threading.Channels.ChannelReader<CompletionChunk> reader;
        try
        {
            reader = engine.Submit(request, abort, out var promptTokens);
            http.Response.Headers[RunnerHeaders.PromptTokens] = promptTokens.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (InvalidCompletionException ex)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await Results.Json(new CompletionChunk { Done = true, Error = ex.Message }, RunnerJsonContext.Default.CompletionChunk, statusCode: StatusCodes.Status400BadRequest).ExecuteAsync(http).ConfigureAwait(false);
            return;
        }

        http.Response.ContentType = "application/x-ndjson";
        using var writer = new NdjsonWriter(http.Response.BodyWriter);
        try
        {
            // Accepted: send the headers now, so the server learns it before prefill (a refusal above is a 400).
            await http.Response.StartAsync(abort).ConfigureAwait(false);
            while (await reader.WaitToReadAsync(abort).ConfigureAwait(false))
            {
                // Send everything already produced in one flush: under load several tokens may be waiting.
                while (reader.TryRead(out var chunk))
                {
                    writer.Write(chunk, RunnerJsonContext.Default.CompletionChunk);
                }

                await writer.FlushAsync(abort).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            // The server hung up: the engine sees the same token and frees the slot.
        }
    }

    private async Task EmbeddingAsync(HttpContext http)
    {
        var engine = ReadyEngine(http);
        if (engine is null)
        {
            return;
        }

        var request = await JsonBody.ReadAsync(http.Request, RunnerJsonContext.Default.EmbeddingRequest, http.RequestAborted).ConfigureAwait(false);
        var response = await engine.EmbedAsync(request ?? new EmbeddingRequest(), http.RequestAborted).ConfigureAwait(false);
        await Results.Json(response, RunnerJsonContext.Default.EmbeddingResponse).ExecuteAsync(http).ConfigureAwait(false);
    }

    private async Task RerankAsync(HttpContext http)
    {
        var engine = ReadyEngine(http);
        if (engine is null)
        {
            return;
        }

        var request = await JsonBody.ReadAsync(http.Request, RunnerJsonContext.Default.RerankRequest, http.RequestAborted).ConfigureAwait(false);
        var response = await engine.RerankAsync(request ?? new RerankRequest(), http.RequestAborted).ConfigureAwait(false);
        await Results.Json(response, RunnerJsonContext.Default.RerankResponse).ExecuteAsync(http).ConfigureAwait(false);
    }

    private async Task TokenizeAsync(HttpContext http)
    {
        var engine = ReadyEngine(http);
        if (engine is null)
        {
            return;
        }

        var request = await JsonBody.ReadAsync(http.Request, RunnerJsonContext.Default.TokenizeRequest, http.RequestAborted).ConfigureAwait(false) ?? new TokenizeRequest();
        var tokens = request.Limit is { } limit and > 0
            ? engine.Tokenize(request.Content, request.AddSpecial, request.ParseSpecial, limit)
            : engine.Tokenize(request.Content, request.AddSpecial, request.ParseSpecial);
        var ids = new int[tokens.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = tokens[i].Value;
        }

        int[]? imageTokens = null;
        if (request.Images is { Count: > 0 } images)
        {
            try
            {
                imageTokens = engine.CountImageTokens(images);
            }
            catch (InvalidCompletionException ex)
            {
                await Results.Json(new CompletionChunk { Done = true, Error = ex.Message }, RunnerJsonContext.Default.CompletionChunk, statusCode: StatusCodes.Status400BadRequest).ExecuteAsync(http).ConfigureAwait(false);
                return;
            }
        }

        await Results.Json(new TokenizeResponse { Tokens = ids, ImageTokens = imageTokens }, RunnerJsonContext.Default.TokenizeResponse).ExecuteAsync(http).ConfigureAwait(false);
    }

    private async Task DetokenizeAsync(HttpContext http)
    {
        var engine = ReadyEngine(http);
        if (engine is null)
        {
            return;
        }

        var request = await JsonBody.ReadAsync(http.Request, RunnerJsonContext.Default.DetokenizeRequest, http.RequestAborted).ConfigureAwait(false) ?? new DetokenizeRequest();
        var vocabulary = engine.VocabularySize;
        var bad = Array.FindIndex(request.Tokens, t => t < 0 || t >= vocabulary);
        if (bad >= 0)
        {
            // llama.cpp would index its token table with it unchecked.
            var id = request.Tokens[bad];
            await Results.Json(new CompletionChunk { Done = true, Error = $"invalid token id {id}: the vocabulary has ids 0 to {vocabulary - 1}" }, RunnerJsonContext.Default.CompletionChunk, statusCode: StatusCodes.Status400BadRequest).ExecuteAsync(http).ConfigureAwait(false);
            return;
        }

        var tokens = request.Tokens.Select(t => new LlamaToken(t)).ToArray();
        await Results.Json(new DetokenizeResponse { Content = engine.Detokenize(tokens) }, RunnerJsonContext.Default.DetokenizeResponse).ExecuteAsync(http).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "model load failed: {Reason}")]
    private partial void LogLoadFailed(string reason);

    private static void RemoveSocket(string socketPath)
    {
        try
        {
            File.Delete(socketPath);
            if (Path.GetDirectoryName(socketPath) is { } folder && Path.GetFileName(folder).StartsWith("corral-", StringComparison.Ordinal))
            {
                Directory.Delete(folder); // only when empty
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }
}
