using System.Diagnostics;
using Corral.Llama;
using Corral.Llama.Multimodal;
using Corral.Runner.Engine.Adapters;
using Corral.Runner.Engine.Admission;
using Corral.Runner.Engine.Sampling;
using Corral.Runner.Engine.Slots;
using Corral.Runner.Engine.Speculation;
using Microsoft.Extensions.Logging;

namespace Corral.Runner.Engine.Batching;

/// <summary>
/// Continuous batching: each step admits waiting requests into free slots, builds one llama batch (the next token of
/// every generating slot, and prompt tokens of slots still prefilling in the room left, written in slot order so that
/// llama.cpp computes consecutive slots as one graph), decodes it once and samples every slot that got logits. Engine thread only.
/// LoRA scales belong to the whole llama context, not to a sequence, so one decode serves only requests with equal
/// scales (<see cref="ActiveCompletion.Scales"/>): when the busy slots hold several sets, each step decodes one set's
/// slots, taking the sets in turn (by slot, starting after the slot the last step began with), as llama-server batches
/// only slots whose LoRA sets are equal. A model without adapters, or requests that all keep the default, is one set.
/// With a draft model (<see cref="Drafter"/>) a generating slot carries its pending token plus the tokens drafted after
/// it, each with logits; the target samples those rows in order, exactly as it would have one step at a time, and keeps
/// them while its choice equals the draft (speculative decoding).
/// </summary>
internal sealed partial class BatchLoop(
    LlamaModel model, LlamaContext context, LlamaBatch batch, SlotTable slots, EngineOptions options, MtmdContext? projector, LoraAdapterSet adapters, ILogger logger, Drafter? drafter = null)
{
    /// <summary>The most tokens drafted for one slot in one step, whatever draft_num_predict asks.</summary>
    public const int MaxDraft = 32;

    private readonly List<AdapterScales> _groups = [];
    private readonly List<Slot> _generating = [];
    private DraftWork[]? _draftWork;
    private int _turn;

    private readonly List<ActiveCompletion> _waiting = [];
    private readonly byte[] _pieceBuffer = new byte[256];
    private readonly List<Slot> _prefilling = [];
    private int[]? _promptTake;
    private Func<int, int, (int Added, bool Completed)>? _takePrompt;
    private long _decodeSteps;
    private long _splitDecodeSteps;
    private float[]? _rawLogits;

    /// <summary>llama_decode calls made for completions (read from other threads).</summary>
    public long DecodeSteps => Interlocked.Read(ref _decodeSteps);

    /// <summary>
    /// Decode steps whose sequences skipped an id, which llama.cpp computes as one graph per consecutive run (slower per
    /// token): slots are placed to keep this near zero (<see cref="SlotChoice"/>).
    /// </summary>
    public long SplitDecodeSteps => Interlocked.Read(ref _splitDecodeSteps);

    /// <summary>Takes a request that has been admitted (tokenized, sampler built) into the waiting line.</summary>
    public void Enqueue(ActiveCompletion request) => _waiting.Add(request);

    /// <summary>
    /// Moves waiting requests into free slots, in arrival order, each into the slot <see cref="SlotChoice"/> picks; then
    /// closes the gaps requests that ended left between busy slots (<see cref="SlotTable.Compact"/>).
    /// </summary>
    public void AdmitWaiting()
    {
        ReleaseCancelled(); // their slots can be taken at once, and no step is built around a slot about to free
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

            var slot = slots.ChooseFree(request.Prompt, request.Scales);
            if (slot is null)
            {
                break; // all slots busy: wait for one to free up, keep FIFO order
            }

            _waiting.RemoveAt(w--);
            slots.Assign(slot, request);
        }

        // Gaps left by requests that ended in the middle: none waits to fill them now. A draft model keeps a sequence per
        // slot of its own, which a move would leave behind.
        if (drafter is null)
        {
            slots.Compact();
        }
    }

    /// <summary>Builds and decodes one batch, then samples for every slot that got logits. Returns false when idle.</summary>
    public bool Step()
    {
        var mediaEvaluated = projector is not null && EvaluateMediaAtCursors();
        ClearRows(); // cancelled requests were released by AdmitWaiting, which comes before every step
        foreach (var group in GroupsInTurn())
        {
            batch.Clear();
            var rows = PlanNextTokens(group);
            PlanPromptChunks(group, batch.Capacity - rows);
            AddInSequenceOrder();
            if (batch.Count > 0)
            {
                adapters.Apply(context, group);
                DecodeAndSample(group);
                return true;
            }
        }

        return mediaEvaluated;
    }

    /// <summary>Frees the slots whose clients went away.</summary>
    private void ReleaseCancelled()
    {
        foreach (var slot in slots.All)
        {
            if (slot.Request is { Cancellation.IsCancellationRequested: true })
            {
                slots.Release(slot, abandon: true);
            }
        }
    }

    /// <summary>Every request starts the step without logits or drafts.</summary>
    private void ClearRows()
    {
        foreach (var slot in slots.All)
        {
            if (slot.Request is { } request)
            {
                request.LogitsRow = -1;
                request.DraftCount = 0;
            }
        }
    }

    /// <summary>
    /// The distinct LoRA scale sets of the busy slots, starting with the set of the first busy slot at or after the
    /// turn, which moves past that slot: with several sets, each gets steps in turn and none waits for ever.
    /// </summary>
    private List<AdapterScales> GroupsInTurn()
    {
        _groups.Clear();
        var all = slots.All;
        var first = -1;
        for (var i = 0; i < all.Length; i++)
        {
            var index = (_turn + i) % all.Length;
            if (all[index].Request is { } request)
            {
                first = first < 0 ? index : first;
                if (!_groups.Contains(request.Scales))
                {
                    _groups.Add(request.Scales);
                }
            }
        }

        if (first >= 0)
        {
            _turn = (first + 1) % all.Length;
        }

        return _groups;
    }

    /// <summary>
    /// Chooses the generating slots under <paramref name="group"/> (<see cref="_generating"/>, in slot order): each gets
    /// its next token, which keeps every stream moving, plus its drafts when it drafts. Returns the batch rows they take.
    /// </summary>
    private int PlanNextTokens(AdapterScales group)
    {
        _generating.Clear();
        foreach (var slot in slots.All)
        {
            var request = slot.Request;
            if (request is null || request.Prefilling || !request.Scales.Equals(group))
            {
                continue;
            }

            if (slot.Cached.Count >= options.ContextPerSlot && !MakeRoom(slot, request))
            {
                continue;
            }

            _generating.Add(slot);
        }

        var drafts = DraftForGenerating();
        var rows = 0;
        foreach (var slot in _generating)
        {
            rows++;
            if (drafts is not null && FindDrafts(drafts, slot) is { Count: > 0 } work)
            {
                var request = slot.Request!;
                request.Drafts = work.Drafts;
                request.DraftCount = Math.Max(0, Math.Min(work.Count, batch.Capacity - rows));
                rows += request.DraftCount;
            }
        }

        return rows;
    }

    /// <summary>Decodes the batch built and samples every slot that got logits.</summary>
    private void DecodeAndSample(AdapterScales group)
    {
        try
        {
            context.Decode(batch);
        }
        catch (LlamaDecodeException ex)
        {
            LogDecodeFailed(ex.Message);
            foreach (var slot in slots.All)
            {
                if (slot.Request is { } failed && failed.Scales.Equals(group) && (failed.LogitsRow >= 0 || failed.Prefilling))
                {
                    slots.FailAndClear(slot, $"llama_decode failed: {ex.Message}");
                }
            }

            return;
        }

        foreach (var slot in slots.All)
        {
            if (slot.Request is { LogitsRow: >= 0 } request)
            {
                if (request.DraftCount > 0)
                {
                    Verify(slot, request);
                }
                else
                {
                    SampleNext(slot, request, request.LogitsRow, slot.Cached.Count, out _);
                }
            }
        }
    }

    /// <summary>
    /// How many prompt tokens each slot still prefilling under <paramref name="group"/> gets in the
    /// <paramref name="room"/> the generating slots left (<see cref="PrefillPlan"/>), into <see cref="_promptTake"/>.
    /// </summary>
    private void PlanPromptChunks(AdapterScales group, int room)
    {
        _prefilling.Clear();
        _promptTake ??= new int[slots.Count];
        Array.Clear(_promptTake);
        var oldest = -1;
        foreach (var slot in slots.All)
        {
            if (slot.Request is { Prefilling: true } request && request.Media?.ContainsKey(request.PromptCursor) != true && request.Scales.Equals(group))
            {
                if (oldest < 0 || request.Started < _prefilling[oldest].Request!.Started)
                {
                    oldest = _prefilling.Count;
                }

                _prefilling.Add(slot);
            }
        }

        if (oldest < 0 || room <= 0)
        {
            return;
        }

        Span<int> order = stackalloc int[_prefilling.Count];
        Span<int> remaining = stackalloc int[_prefilling.Count];
        Span<long> started = stackalloc long[_prefilling.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
            remaining[i] = _prefilling[i].Request!.Prompt.Length - _prefilling[i].Request!.PromptCursor;
            started[i] = _prefilling[i].Request!.Started;
        }

        PrefillPlan.Order(order, remaining, started);
        var added = PrefillPlan.Fill(oldest, order, room, options.PrefillChunk, _takePrompt ??= TakePrompt);
        FillGaps(room - added);
    }

    /// <summary>
    /// Gives one prompt token to each prefilling slot that got none but sits between slots in the batch: without it
    /// the batch's sequences skip its id and llama.cpp computes them as two graphs; with it they are one graph (one
    /// row each), and only the longer prompt chunks follow in graphs of their own.
    /// </summary>
    private void FillGaps(int room)
    {
        var first = _generating.Count > 0 ? _generating[0].Index : int.MaxValue;
        var last = _generating.Count > 0 ? _generating[^1].Index : -1;
        foreach (var slot in _prefilling)
        {
            if (_promptTake![slot.Index] > 0)
            {
                first = Math.Min(first, slot.Index);
                last = Math.Max(last, slot.Index);
            }
        }

        for (var candidate = 0; candidate < _prefilling.Count && room > 0; candidate++)
        {
            var index = _prefilling[candidate].Index;
            if (_promptTake![index] == 0 && index > first && index < last)
            {
                room -= TakePrompt(candidate, 1).Added;
            }
        }
    }

    /// <summary>
    /// Plans up to <paramref name="limit"/> more of a prefilling slot's prompt tokens, stopping before an image; says
    /// how many and whether they complete its prompt.
    /// </summary>
    private (int Added, bool Completed) TakePrompt(int candidate, int limit)
    {
        var slot = _prefilling[candidate];
        var request = slot.Request!;
        var cursor = request.PromptCursor + _promptTake![slot.Index];
        var end = request.Prompt.Length;
        if (request.Media is { } media)
        {
            foreach (var start in media.Keys)
            {
                if (start >= cursor && start < end)
                {
                    end = start;
                }
            }
        }

        var added = Math.Max(0, Math.Min(limit, end - cursor));
        _promptTake[slot.Index] += added;
        return (added, cursor + added == request.Prompt.Length);
    }

    /// <summary>
    /// Writes the planned batch in slot order, each slot's tokens together: llama.cpp puts sequences into one
    /// graph only while their ids ascend by one in batch order (one KV stream per sequence), so a batch written
    /// generating slots first and prompts after could be computed as several graphs even over consecutive slots.
    /// Counts the steps whose sequences still skip an id (<see cref="SplitDecodeSteps"/>).
    /// </summary>
    private void AddInSequenceOrder()
    {
        var next = 0;
        var previous = -1;
        var gaps = false;
        foreach (var slot in slots.All)
        {
            var generating = next < _generating.Count && _generating[next] == slot;
            var take = _promptTake is null ? 0 : _promptTake[slot.Index];
            if (!generating && take == 0)
            {
                continue;
            }

            gaps |= previous >= 0 && slot.Index != previous + 1;
            previous = slot.Index;
            var request = slot.Request!;
            if (generating)
            {
                next++;
                request.LogitsRow = batch.Count;
                batch.Add(request.Pending, slot.Cached.Count, slot.Seq, logits: true);
                slot.Cached.Add(request.Pending);
                for (var d = 0; d < request.DraftCount; d++)
                {
                    batch.Add(request.Drafts![d], slot.Cached.Count, slot.Seq, logits: true);
                    slot.Cached.Add(request.Drafts[d]);
                }

                continue;
            }

            for (var t = 0; t < take; t++)
            {
                var token = request.Prompt[request.PromptCursor++];
                var last = !request.Prefilling;
                if (last)
                {
                    request.LogitsRow = batch.Count;
                }

                batch.Add(token, slot.Cached.Count, slot.Seq, logits: last);
                slot.Cached.Add(token);
            }
        }

        if (batch.Count > 0)
        {
            Interlocked.Increment(ref _decodeSteps);
            if (gaps)
            {
                Interlocked.Increment(ref _splitDecodeSteps);
            }
        }
    }

    /// <summary>Ends every request, waiting or in a slot, with <paramref name="error"/> (the engine is stopping or broke).</summary>
    public void FailAll(string error)
    {
        foreach (var slot in slots.All)
        {
            slot.Request?.Fail(error);
            slot.Request?.Dispose();
            slot.Request = null;
        }

        foreach (var waiting in _waiting)
        {
            waiting.Fail(error);
            waiting.Dispose(); // its sampler and image chunks
        }

        _waiting.Clear();
    }

    /// <summary>The slot's context is full: shift it (drop the oldest half after num_keep, never part of an image: <see cref="ContextShift"/>) or end with "length".</summary>
    private bool MakeRoom(Slot slot, ActiveCompletion request)
    {
        if (!request.Request.Shift || !context.CanShift)
        {
            request.Finish("length", stoppedBySequence: false);
            slots.Release(slot, abandon: false);
            return false;
        }

        var used = slot.Cached.Count;
        var (keep, discard) = ContextShift.Plan(slot.Cached, request.Request.NumKeep);
        LogContextShift(slot.Index, used, keep, discard);
        context.SeqRemove(slot.Seq, keep, keep + discard);
        context.SeqAdd(slot.Seq, keep + discard, used, -discard);
        slot.Cached.RemoveRange(keep, discard);
        return true;
    }

    /// <summary>
    /// Samples output <paramref name="row"/> and delivers the token. Returns true when the request goes on with it as
    /// its pending token. <paramref name="keep"/>: how many of the slot's cached tokens are really its history (the
    /// rest are drafts after this row); a request that ends here leaves only those in the slot.
    /// </summary>
    private bool SampleNext(Slot slot, ActiveCompletion request, int row, int keep, out LlamaToken token)
    {
        Span<float> raw = default;
        if (request.Request.Logprobs)
        {
            // Logprobs describe the model's own distribution; sampling changes the row in place (bias, penalties).
            _rawLogits ??= new float[model.Vocab.Count];
            raw = _rawLogits;
            context.GetLogits(row).CopyTo(raw);
        }

        token = request.Sampler!.Sample(context, row);
        return Deliver(slot, request, token, raw, keep);
    }

    /// <summary>
    /// The drafted rows in order: sample each as if it were the only one, keep going while the sample equals the draft
    /// token that follows. The first disagreement (or the row after the last draft) gives the next pending token, and
    /// the positions after it, rejected drafts, leave both the target's memory and the slot.
    /// </summary>
    private void Verify(Slot slot, ActiveCompletion request)
    {
        var drafted = request.DraftCount;
        var pendingPosition = slot.Cached.Count - drafted - 1;
        var accepted = 0;
        for (var i = 0; i <= drafted; i++)
        {
            var keep = pendingPosition + i + 1;
            var goesOn = SampleNext(slot, request, request.LogitsRow + i, keep, out var token);
            var agreed = i < drafted && token == request.Drafts![i];
            if (agreed)
            {
                accepted++; // counted even when the request ends with it: the draft guessed right
            }

            if (!goesOn)
            {
                break;
            }

            if (!agreed)
            {
                TrimTo(slot, keep);
                break;
            }
        }

        drafter!.CountChecked(drafted, accepted);
    }

    /// <summary>Drops the slot's positions from <paramref name="length"/> on, in the context and in its token list.</summary>
    private void TrimTo(Slot slot, int length)
    {
        if (slot.Cached.Count > length)
        {
            context.SeqRemove(slot.Seq, length, -1);
            slot.Cached.RemoveRange(length, slot.Cached.Count - length);
        }
    }

    /// <summary>Ends the request in its slot, leaving only its real history there.</summary>
    private void End(Slot slot, ActiveCompletion request, string reason, bool stoppedBySequence, int keep)
    {
        TrimTo(slot, keep);
        request.Finish(reason, stoppedBySequence);
        slots.Release(slot, abandon: false);
    }

    /// <summary>Drafts for the generating slots whose requests want drafts; null when none does (or there is no draft model).</summary>
    private DraftWork[]? DraftForGenerating()
    {
        if (drafter is null)
        {
            return null;
        }

        _draftWork ??= new DraftWork[slots.Count];
        var n = 0;
        foreach (var slot in _generating)
        {
            var request = slot.Request!;
            var max = Math.Min(Math.Min(request.Request.DraftNumPredict, MaxDraft), options.ContextPerSlot - slot.Cached.Count - 2);
            if (request.Request.NumPredict >= 0)
            {
                max = Math.Min(max, request.Request.NumPredict - request.Generated - 1);
            }

            if (max <= 0 || request.Media is not null)
            {
                continue;
            }

            ref var work = ref _draftWork[n++];
            work.Slot = slot;
            work.Pending = request.Pending;
            work.Max = max;
            work.Drafts ??= new LlamaToken[MaxDraft];
        }

        if (n == 0)
        {
            return null;
        }

        for (var i = n; i < _draftWork.Length; i++)
        {
            _draftWork[i].Slot = null!;
            _draftWork[i].Count = 0;
        }

        drafter.Draft(_draftWork.AsSpan(0, n));
        return _draftWork;
    }

    private static DraftWork? FindDrafts(DraftWork[] work, Slot slot)
    {
        foreach (var w in work)
        {
            if (w.Slot == slot)
            {
                return w;
            }
        }

        return null;
    }

    private bool Deliver(Slot slot, ActiveCompletion request, LlamaToken token, Span<float> raw, int keep)
    {
        Protocol.TokenLogprob? logprob = null;
        if (request.Request.Logprobs)
        {
            logprob = Logprobs.Compute(model.Vocab, raw, token, request.Request.TopLogprobs);
        }

        if (request.FirstToken == 0)
        {
            request.FirstToken = Stopwatch.GetTimestamp();
        }

        if (model.Vocab.IsEog(token))
        {
            End(slot, request, "stop", stoppedBySequence: false, keep);
            return false;
        }

        request.Generated++;
        request.AllTokens?.Add(token.Value);
        var length = model.Vocab.TokenToPiece(token, _pieceBuffer, special: false);
        var piece = length > 0 ? _pieceBuffer.AsSpan(0, length) : ReadOnlySpan<byte>.Empty;
        if (request.EmitPiece(piece, logprob))
        {
            End(slot, request, "stop", stoppedBySequence: true, keep);
            return false;
        }

        var limit = request.Request.NumPredict;
        if ((limit >= 0 && request.Generated >= limit) || (limit == -2 && keep + 1 >= options.ContextPerSlot))
        {
            End(slot, request, "length", stoppedBySequence: false, keep);
            return false;
        }

        request.Pending = token;
        return true;
    }

    /// <summary>
    /// Evaluates the image at the cursor of every prefilling slot that has reached one, each with its own
    /// llama_decode calls, before the shared batch is built. Returns true when any image was evaluated.
    /// </summary>
    private bool EvaluateMediaAtCursors()
    {
        var evaluated = false;
        foreach (var slot in slots.All)
        {
            var request = slot.Request;
            if (request is not { Media: { } spans } || !request.Prefilling || request.Cancellation.IsCancellationRequested
                || !spans.TryGetValue(request.PromptCursor, out var span))
            {
                continue;
            }

            try
            {
                adapters.Apply(context, request.Scales);
                projector!.EvaluateChunk(context, span.Chunk, slot.Cached.Count, slot.Seq, options.BatchSize, logitsLast: false);
            }
            catch (MtmdException ex)
            {
                LogDecodeFailed(ex.Message);
                slots.FailAndClear(slot, $"evaluating an image failed: {ex.Message}");
                continue;
            }

            for (var i = span.Start; i < span.End; i++)
            {
                slot.Cached.Add(request.Prompt[i]);
            }

            request.PromptCursor = span.End;
            evaluated = true;
        }

        return evaluated;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "context shift: slot {Slot} held {Used} positions, dropped {Count} from {Start}")]
    private partial void LogContextShift(int slot, int used, int start, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "decode failed: {Reason}")]
    private partial void LogDecodeFailed(string reason);
}
