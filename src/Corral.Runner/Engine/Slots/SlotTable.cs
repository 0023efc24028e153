using System.Diagnostics;
using Corral.Llama;

namespace Corral.Runner.Engine.Slots;

/// <summary>
/// The engine's slots (one llama sequence each) and the prefix cache they hold: which free slot a new request takes
/// (the one whose cached tokens share the longest prefix with its prompt, ties to the least recently used), how much
/// of its prompt is reused, and giving the slot back. Engine thread only.
/// </summary>
internal sealed class SlotTable
{
    private readonly Slot[] _slots;
    private readonly LlamaContext _context;
    private long _useClock;
    private long _prefixHitTokens;

    public SlotTable(LlamaContext context, int count)
    {
        _context = context;
        _slots = new Slot[count];
        for (var i = 0; i < count; i++)
        {
            _slots[i] = new Slot(i);
        }
    }

    public int Count => _slots.Length;

    /// <summary>The slots in index order; callers must not keep the array.</summary>
    public ReadOnlySpan<Slot> All => _slots;

    // The three figures below are read by /health from other threads: approximate is fine, torn is not possible.
    public int ActiveSlots => _slots.Count(s => !s.IsFree);

    public long KvCellsUsed => _slots.Sum(s => (long)s.Cached.Count);

    public long PrefixCacheHitTokens => Interlocked.Read(ref _prefixHitTokens);

    /// <summary>The free slot sharing the longest prefix with <paramref name="prompt"/>, or null when all are busy.</summary>
    public Slot? ChooseFree(ReadOnlySpan<LlamaToken> prompt)
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

    /// <summary>Puts <paramref name="request"/> in <paramref name="slot"/>, keeping the cached prefix it shares and dropping the rest.</summary>
    public void Assign(Slot slot, ActiveCompletion request)
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
