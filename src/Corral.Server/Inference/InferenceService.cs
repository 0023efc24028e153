using Corral.Api.Ollama;
using Corral.Runner.Client;
using Corral.Runner.Hosting;
using Corral.Runner.Protocol;
using Corral.Server.Configuration;
using Corral.Server.Http;
using Corral.Server.Resolution;
using Corral.Server.Scheduling;

namespace Corral.Server.Inference;

/// <summary>
/// The one path from a resolved model and request options to a runner: merges options
/// (Ollama's defaults &lt; OLLAMA_CONTEXT_LENGTH &lt; Modelfile PARAMETERs &lt; request options),
/// validates them, decides the load options, and gets a slot from the scheduler.
/// Native and OpenAI routes both come through here.
/// </summary>
public sealed class InferenceService(ModelScheduler scheduler, ServerSettings settings)
{
    /// <summary>The largest num_ctx accepted at all; a model's own limit applies below that.</summary>
    public const int MaxContextLength = 1 << 20;

    public ModelScheduler Scheduler { get; } = scheduler;

    /// <summary>Options in force for one request, validated.</summary>
    public ModelOptions EffectiveOptions(ResolvedModel model, ModelOptions? request)
    {
        var defaults = ModelOptions.Defaults;
        defaults.NumCtx = settings.ContextLength;
        var options = defaults.Merge(model.Parameters).Merge(request);
        var numCtx = options.NumCtx ?? settings.ContextLength;
        if (numCtx <= 0 || numCtx > MaxContextLength)
        {
            throw ApiException.BadRequest($"invalid num_ctx {numCtx}: must be between 1 and {MaxContextLength}");
        }

        if (model.TrainContextLength > 0 && numCtx > model.TrainContextLength)
        {
            // Ollama caps the context at what the model was trained for.
            numCtx = model.TrainContextLength;
        }

        options.NumCtx = Math.Max(numCtx, 4);
        if (options.NumPredict is < -2)
        {
            throw ApiException.BadRequest($"invalid num_predict {options.NumPredict}: must be -1 (no limit), -2 (fill the context) or at least 0");
        }

        if (options.DraftNumPredict is < 0)
        {
            throw ApiException.BadRequest($"invalid draft_num_predict {options.DraftNumPredict}: must be 0 (off) or more");
        }

        if (options.NumBatch is <= 0 || options.NumBatch > MaxContextLength)
        {
            throw ApiException.BadRequest($"invalid num_batch {options.NumBatch}");
        }

        if (options.NumThread is < 0)
        {
            // More threads than cores are clamped by the runner; only nonsense is refused.
            throw ApiException.BadRequest($"invalid num_thread {options.NumThread}");
        }

        CheckStops(options.Stop);
        SamplerOptionChecks.Check(options);
        return options;
    }

    /// <summary>The most stop sequences a request may hold. Ollama sets no limit; every one is searched for after every token.</summary>
    public const int MaxStops = 256;

    /// <summary>The longest stop sequence, in characters: holding back text while it may start one costs up to its length squared a token.</summary>
    public const int MaxStopLength = 1024;

    private static void CheckStops(IReadOnlyList<string>? stops)
    {
        if (stops is null)
        {
            return;
        }

        if (stops.Count > MaxStops)
        {
            throw ApiException.BadRequest($"too many stop sequences ({stops.Count}): at most {MaxStops}");
        }

        foreach (var stop in stops)
        {
            if (stop.Length > MaxStopLength)
            {
                throw ApiException.BadRequest($"stop sequence too long ({stop.Length} characters): at most {MaxStopLength}");
            }
        }
    }

    public ModelLoadRequest LoadRequest(ResolvedModel model, ModelOptions options, KeepAlive? keepAlive)
    {
        var flash = settings.FlashAttention switch
        {
            true => "on",
            false => "off",
            null => "auto",
        };
        return new ModelLoadRequest
        {
            Name = model.Name.DisplayShortest(),
            Launch = new RunnerLaunchOptions
            {
                ModelPath = model.ModelPath,
                ProjectorPath = model.ProjectorPath,
                AdapterPaths = model.AdapterPaths,
                DraftModelPath = model.DraftPath,
                SocketPath = string.Empty,
                ContextPerSlot = options.NumCtx ?? settings.ContextLength,
                BatchSize = options.NumBatch ?? 512,
                Threads = options.NumThread ?? 0,
                GpuLayers = options.NumGpu ?? -1,
                MainGpu = options.MainGpu ?? 0,
                UseMmap = options.UseMmap ?? true,
                FlashAttention = flash,
                KvCacheType = settings.KvCacheType,
                Embedding = model.IsEmbeddingModel,
                PromptCacheMegabytes = settings.PromptCacheMegabytes,
            },
            KeepAlive = ToTimeSpan(keepAlive),
            ModelBytes = new FileInfo(model.ModelPath).Length + (model.ProjectorPath is { } projector ? new FileInfo(projector).Length : 0)
                + model.AdapterPaths.Sum(adapter => new FileInfo(adapter).Length)
                + (model.DraftPath is { } draft ? new FileInfo(draft).Length : 0),
            KvBytesPerToken = model.KvBytesPerToken(settings.KvCacheType),
            GpuShape = model.GpuShape(settings.KvCacheType),
        };
    }

    public Task<RunnerLease> AcquireAsync(ResolvedModel model, ModelOptions options, KeepAlive? keepAlive, CancellationToken cancellation) =>
        Scheduler.AcquireAsync(LoadRequest(model, options, keepAlive), cancellation);

    /// <summary>
    /// Runs <paramref name="work"/> on a runner slot. A runner can die (killed, out of memory) just before a request
    /// reaches it, before the scheduler has noticed: then the slot is given back, the dead runner is waited out and
    /// the work runs once more, on a fresh runner, so the client never sees the crash it did not cause. On success
    /// the lease belongs to <paramref name="work"/>'s result (or was disposed by it); on failure it is disposed here.
    /// </summary>
    public async Task<T> WithRunnerAsync<T>(ResolvedModel model, ModelOptions options, KeepAlive? keepAlive, Func<RunnerLease, Task<T>> work, CancellationToken cancellation)
    {
        for (var attempt = 0; ; attempt++)
        {
            var lease = await AcquireAsync(model, options, keepAlive, cancellation).ConfigureAwait(false);
            try
            {
                return await work(lease).ConfigureAwait(false);
            }
            catch (RunnerException ex) when (ex.IsRunnerGone && attempt == 0 && !cancellation.IsCancellationRequested)
            {
                await lease.DisposeAsync().ConfigureAwait(false);
                await lease.WaitForRunnerExitAsync(RunnerExitGrace, cancellation).ConfigureAwait(false);
            }
            catch (RunnerException ex) when (ex.IsRunnerGone && !cancellation.IsCancellationRequested)
            {
                // Gone again on the fresh runner: the model itself kills it (a GGML_ASSERT at the first decode, say).
                // The client hears llama.cpp's reason rather than "not reachable".
                await lease.DisposeAsync().ConfigureAwait(false);
                await lease.WaitForRunnerExitAsync(RunnerExitGrace, cancellation).ConfigureAwait(false);
                if (!lease.Model.Runner.HasExited)
                {
                    throw;
                }

                throw new RunnerException(lease.Model.Runner.ExitReason, ex) { IsRunnerGone = true };
            }
            catch
            {
                await lease.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    /// <summary>How long a retry waits for a runner that failed a request to be seen as exited.</summary>
    private static readonly TimeSpan RunnerExitGrace = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A request without a prompt loads the model and answers done_reason "load"; with keep_alive 0 it
    /// unloads it instead ("unload"), as Ollama does. Unloading needs no <paramref name="options"/>: Ollama
    /// answers it before merging them, so bad options don't stop a model from being unloaded.
    /// </summary>
    public async Task<string> LoadOrUnloadAsync(ResolvedModel model, ModelOptions? options, KeepAlive? keepAlive, CancellationToken cancellation)
    {
        if (keepAlive is { IsUnloadNow: true })
        {
            await Scheduler.UnloadAsync(model.Name.DisplayShortest(), cancellation).ConfigureAwait(false);
            return "unload";
        }

        // Not ArgumentNullException: the error middleware would report a caller's bug as the client's 400.
        var lease = await AcquireAsync(model, options ?? throw new InvalidOperationException("loading a model needs its options"), keepAlive, cancellation).ConfigureAwait(false);
        await lease.DisposeAsync().ConfigureAwait(false);
        return "load";
    }

    /// <summary>The runner request for a rendered prompt.</summary>
    public static CompletionRequest Completion(string prompt, ModelOptions options, string? grammar, bool? truncate, bool? shift, bool logprobs, int topLogprobs)
    {
        return new CompletionRequest
        {
            Prompt = prompt,
            NumPredict = options.NumPredict ?? -1,
            NumKeep = options.NumKeep ?? 4,
            DraftNumPredict = options.DraftNumPredict ?? 4,
            Stop = options.Stop is { Count: > 0 } stop ? stop.ToArray() : null,
            Truncate = truncate ?? true,
            Shift = shift ?? true,
            Logprobs = logprobs || topLogprobs > 0,
            TopLogprobs = topLogprobs,
            Sampling = new SamplingParameters
            {
                Temperature = options.Temperature ?? 0.8f,
                TopK = options.TopK ?? 40,
                TopP = options.TopP ?? 0.9f,
                MinP = options.MinP ?? 0f,
                TypicalP = options.TypicalP ?? 1f,
                RepeatLastN = options.RepeatLastN ?? 64,
                RepeatPenalty = options.RepeatPenalty ?? 1.1f,
                PresencePenalty = options.PresencePenalty ?? 0f,
                FrequencyPenalty = options.FrequencyPenalty ?? 0f,
                Mirostat = options.Mirostat ?? 0,
                MirostatTau = options.MirostatTau ?? 5f,
                MirostatEta = options.MirostatEta ?? 0.1f,
                Seed = options.Seed ?? -1,
                TopNSigma = options.TopNSigma ?? -1f,
                XtcProbability = options.XtcProbability ?? 0f,
                XtcThreshold = options.XtcThreshold ?? 0.1f,
                DryMultiplier = options.DryMultiplier ?? 0f,
                DryBase = options.DryBase ?? 1.75f,
                DryAllowedLength = options.DryAllowedLength ?? 2,
                DryPenaltyLastN = options.DryPenaltyLastN ?? 64,

                // Sent only when DRY is on: the runner fills in llama-server's defaults for null, and no other sampler reads them.
                DrySequenceBreakers = options.DryMultiplier is > 0f ? options.DrySequenceBreakers?.ToArray() : null,
                Grammar = grammar,
            },
        };
    }

    public static TimeSpan? ToTimeSpan(KeepAlive? keepAlive) => keepAlive is { } k ? Durations.FromKeepAlive(k) : null;
}
