using System.Diagnostics;
using System.Runtime.InteropServices;
using Corral.Llama;
using Corral.Runner.Engine.Adapters;

namespace Corral.Runner.Engine.Slots;

/// <summary>
/// The engine's slots (one llama sequence each) and the prefix cache they hold: which free slot a new request takes
/// (<see cref="SlotChoice"/>: one that keeps the busy sequences consecutive, then the longest shared prefix), how much
/// of its prompt is reused, and giving the slot back. Beyond a slot's own cache, a prompt's prefix can come from
/// another slot, busy or not (its KV copied with llama.cpp's sequence copy: a second client with the same long system
/// prompt does not evaluate it again while the first is still generating), or from the host-memory
/// <see cref="PromptCache"/> of prompts that left the slots. A prefix is only ever reused under the LoRA scales it was
/// evaluated with (<see cref="Slot.CachedScales"/>); the host cache keeps prompts of the model's default scales only.
/// Engine thread only.
/// </summary>
internal sealed class SlotTable
{
    /// <summary>
    /// Tokens a copy or restore must save over what the chosen slot already holds to be worth it: both cost a memcpy of
    /// the KV (a few ms), evaluating costs milliseconds per token on a CPU.
    /// </summary>
    internal const int MinSharedGain = 32;

    /// <summary>A slot's content is saved to the host cache only when at least this much of it would be lost.</summary>
    internal const int MinSavedTokens = 64;

    private readonly Slot[] _slots;
    private readonly LlamaContext _context;
    private readonly PromptCache? _cache;
    private readonly bool _canShare;
    private readonly AdapterScales _defaultScales;
    private long _useClock;
    private long _prefixHitTokens;
    private long _sharedTokens;

    /// <param name="context">The context whose sequences the slots hold.</param>
    /// <param name="model">The loaded model (its vocabulary and adapters).</param>
    /// <param name="count">How many slots (parallel sequences) to make.</param>
    /// <param name="cache">Host-memory cache for prompts that leave the slots; null to keep none.</param>
    /// <param name="defaultScales">The LoRA scales of requests that name none (<see cref="AdapterScales.None"/> without adapters).</param>
    public SlotTable(LlamaContext context, LlamaModel model, int count, PromptCache? cache, AdapterScales? defaultScales = null)
    {
        _context = context;
        _defaultScales = defaultScales ?? AdapterScales.None;
        _slots = new Slot[count];
        for (var i = 0; i < count; i++)
        {
            _slots[i] = new Slot(i) { CachedScales = _defaultScales };
        }

        // Copying or restoring a prefix needs plain attention KV: recurrent state has no positions to cut, and a
        // sliding window drops the early cells a prefix would need.
        _canShare = !model.IsRecurrent && !model.IsHybrid && model.SlidingWindow == 0;
        _cache = _canShare ? cache : null;
    }

    public int Count => _slots.Length;

    /// <summary>The slots in index order; callers must not keep the array.</summary>
    public ReadOnlySpan<Slot> All => _slots;

    // The three figures below are read by /health from other threads: approximate is fine, torn is not possible.
    public int ActiveSlots => _slots.Count(s => !s.IsFree);

    public long KvCellsUsed => _slots.Sum(s => (long)s.Cached.Count);

    public long PrefixCacheHitTokens => Interlocked.Read(ref _prefixHitTokens);

    /// <summary>Prompt tokens whose KV was copied from another slot instead of evaluated.</summary>
    public long SharedPrefixTokens => Interlocked.Read(ref _sharedTokens);

    public PromptCache? Cache => _cache;

    /// <summary>
    /// The free slot <paramref name="prompt"/> should take (<see cref="SlotChoice"/>: next to busy slots first, then the
    /// longest prefix under <paramref name="scales"/>, then the least recently used), or null when all are busy.
    /// </summary>
    public Slot? ChooseFree(ReadOnlySpan<LlamaToken> prompt, AdapterScales scales)
    {
        Span<bool> busy = stackalloc bool[_slots.Length];
        Span<int> prefix = stackalloc int[_slots.Length];
        Span<long> lastUsed = stackalloc long[_slots.Length];
        for (var i = 0; i < _slots.Length; i++)
        {
            var slot = _slots[i];
            busy[i] = !slot.IsFree;
            prefix[i] = busy[i] ? 0 : slot.CommonPrefixLength(prompt, scales);
            lastUsed[i] = slot.LastUsed;
        }

        var index = SlotChoice.Pick(busy, prefix, lastUsed);
        return index < 0 ? null : _slots[index];
    }

    /// <summary>Puts <paramref name="request"/> in <paramref name="slot"/>, keeping the cached prefix it shares and dropping the rest.</summary>
    public void Assign(Slot slot, ActiveCompletion request)
    {
        if (_canShare)
        {
            TakePrefixFromElsewhere(slot, request.Prompt, request.Scales);
        }

        var reuse = slot.CommonPrefixLength(request.Prompt, request.Scales);
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

        slot.CachedScales = request.Scales;
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

    /// <summary>Frees the slot; its cache stays for the next request that shares a prefix.</summary>
    public void Release(Slot slot, bool abandon)
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

    /// <summary>
    /// Moves requests from the last busy slot into free slots between busy ones until the busy slots are consecutive
    /// again: a slot in the middle that finished with no request waiting to take it would otherwise split every
    /// following step into two graphs (<see cref="SlotChoice"/>), ~20–30 % a step on a CPU, for as long as the requests
    /// around it run. A move costs one copy of a KV stream, made at the next decode (about what reading the weights
    /// once costs, at 4K context per slot). The slot moved from keeps its cache for prefix reuse. Not done without
    /// prefix sharing (recurrent state, sliding windows): those sequences cannot be copied.
    /// </summary>
    /// <returns>How many requests moved.</returns>
    public int Compact()
    {
        var moves = 0;
        while (_canShare)
        {
            var first = -1;
            var last = -1;
            for (var i = 0; i < _slots.Length; i++)
            {
                if (!_slots[i].IsFree)
                {
                    first = first < 0 ? i : first;
                    last = i;
                }
            }

            var gap = first < 0 ? -1 : Array.FindIndex(_slots, first, last - first, static s => s.IsFree);
            if (gap < 0)
            {
                break;
            }

            Move(_slots[last], _slots[gap]);
            moves++;
        }

        return moves;
    }

    /// <summary>Puts the request of <paramref name="from"/> into the free slot <paramref name="to"/>, with a copy of its KV.</summary>
    private void Move(Slot from, Slot to)
    {
        SaveBeforeOverwrite(to, keep: 0);
        _context.SeqRemove(to.Seq, -1, -1);
        _context.SeqCopy(from.Seq, to.Seq);
        to.Cached.Clear();
        to.Cached.AddRange(CollectionsMarshal.AsSpan(from.Cached));
        to.CachedScales = from.CachedScales;
        to.Request = from.Request;
        from.Request = null;
        to.LastUsed = ++_useClock;
        from.LastUsed = ++_useClock;
    }

    /// <summary>Fails the slot's request and empties its sequence (its cells may hold a half-finished batch).</summary>
    public void FailAndClear(Slot slot, string error)
    {
        slot.Request?.Fail(error);
        _context.SeqRemove(slot.Seq, -1, -1);
        slot.Cached.Clear();
        Release(slot, abandon: false);
    }

    /// <summary>The memory was cleared behind the slots' backs (embeddings, rerank): no slot holds anything now.</summary>
    public void ForgetAll()
    {
        foreach (var slot in _slots)
        {
            slot.Cached.Clear();
        }
    }

    /// <summary>
    /// Fills <paramref name="slot"/> from another slot or the host cache when either shares a clearly longer prefix
    /// with <paramref name="prompt"/> than the slot itself; first saves what the slot holds when it is about to lose
    /// enough of it to be worth keeping.
    /// </summary>
    private void TakePrefixFromElsewhere(Slot slot, LlamaToken[] prompt, AdapterScales scales)
    {
        var own = slot.CommonPrefixLength(prompt, scales);
        Slot? donor = null;
        var donorLength = 0;
        foreach (var other in _slots)
        {
            if (other != slot && other.CommonPrefixLength(prompt, scales) is var length && length > donorLength)
            {
                donor = other;
                donorLength = length;
            }
        }

        var (entry, entryLength) = scales.Equals(_defaultScales) ? _cache?.FindLongestPrefix(prompt) ?? (null, 0) : (null, 0);
        var best = Math.Max(donorLength, entryLength);
        var takesOver = best >= own + MinSharedGain;
        SaveBeforeOverwrite(slot, keep: takesOver ? 0 : own);
        if (!takesOver)
        {
            return;
        }

        if (entry is not null && entryLength >= donorLength)
        {
            try
            {
                _context.SeqRemove(slot.Seq, -1, -1);
                _context.LoadSequenceState(entry.State, slot.Seq);
            }
            catch (LlamaException)
            {
                // The state no longer fits this context (it should): evaluate instead.
                _context.SeqRemove(slot.Seq, -1, -1);
                slot.Cached.Clear();
                return;
            }

            slot.Cached.Clear();
            slot.Cached.AddRange(entry.Tokens);
            slot.CachedScales = scales;
            _cache!.Touch(entry, Math.Min(entryLength, prompt.Length - 1));
            return;
        }

        // Another slot's sequence, busy or free. Its cells are copied as they are now (its current batch is not built
        // yet); with one KV stream per sequence llama.cpp copies the whole stream at the next decode, the rest is cut.
        _context.SeqRemove(slot.Seq, -1, -1);
        _context.SeqCopy(donor!.Seq, slot.Seq);
        slot.Cached.Clear();
        slot.Cached.AddRange(CollectionsMarshal.AsSpan(donor.Cached));
        slot.CachedScales = scales;
        Interlocked.Add(ref _sharedTokens, Math.Min(donorLength, prompt.Length - 1));
    }

    /// <summary>Saves the slot's sequence to the host cache when it holds enough past <paramref name="keep"/> that nothing else holds.</summary>
    private void SaveBeforeOverwrite(Slot slot, int keep)
    {
        if (_cache is null || slot.Cached.Count - keep < MinSavedTokens || !slot.CachedScales.Equals(_defaultScales))
        {
            return;
        }

        var tokens = CollectionsMarshal.AsSpan(slot.Cached);
        if (_cache.Holds(tokens))
        {
            return;
        }

        byte[] state;
        try
        {
            state = _context.SaveSequenceState(slot.Seq);
        }
        catch (Exception ex) when (ex is LlamaException or ArgumentException or OutOfMemoryException)
        {
            return; // keeping a copy is an optimisation; the request goes on without it
        }

        _cache.Add(tokens.ToArray(), state);
    }

    /// <summary>A reused prefix must not end inside an image: back off to the image's start.</summary>
    private static int AlignReuseToMedia(ActiveCompletion request, int reuse)
    {
        if (request.Media is not { } spans)
        {
            return reuse;
        }

        foreach (var span in spans.Values)
        {
            if (reuse > span.Start && reuse < span.End)
            {
                return span.Start;
            }
        }

        return reuse;
    }
}
