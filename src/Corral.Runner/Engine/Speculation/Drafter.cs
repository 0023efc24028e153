using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Corral.Llama;
using Corral.Runner.Engine.Slots;

namespace Corral.Runner.Engine.Speculation;

/// <summary>
/// The draft model of speculative decoding: a second, smaller model with the target's vocabulary, in its own llama
/// context with one sequence per slot. Each step it proposes a few tokens per generating slot, greedily, with one
/// llama_decode per drafted position for all slots at once; the target then checks them all in its one batch
/// (<see cref="Batching.BatchLoop"/>). The draft's memory follows the target's lazily: before drafting, each sequence
/// keeps the prefix it shares with the slot's tokens and evaluates the rest, so whatever happened to the slot meanwhile
/// (accepted and rejected drafts, a new prompt, a shared prefix, a context shift) needs no bookkeeping here.
/// Engine thread only.
/// </summary>
public sealed class Drafter : IDisposable
{
    private readonly LlamaModel _model;
    private readonly LlamaContext _context;
    private readonly LlamaBatch _batch;
    private readonly List<LlamaToken>[] _cached;
    private readonly List<LlamaToken> _history = [];
    private readonly int[] _rows;
    private long _drafted;
    private long _accepted;

    /// <summary>Takes ownership of the draft <paramref name="model"/> and its <paramref name="context"/> (one sequence per slot).</summary>
    public Drafter(LlamaModel model, LlamaContext context, int slots, int batchSize)
    {
        _model = model;
        _context = context;
        _batch = new LlamaBatch(Math.Max(batchSize, slots), 1);
        _cached = new List<LlamaToken>[slots];
        for (var i = 0; i < slots; i++)
        {
            _cached[i] = [];
        }

        _rows = new int[slots];
    }

    /// <summary>Draft tokens the target checked.</summary>
    public long Drafted => Interlocked.Read(ref _drafted);

    /// <summary>Draft tokens the target's own choice agreed with.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    internal void CountChecked(int drafted, int accepted)
    {
        Interlocked.Add(ref _drafted, drafted);
        Interlocked.Add(ref _accepted, accepted);
    }

    /// <summary>
    /// Fills <c>work[i].Drafts</c> with up to <c>work[i].Max</c> tokens the draft model expects after the slot's
    /// tokens and its pending token. A slot whose draft sequence is still catching up on a long prompt (more than the
    /// batch holds), or whose tokens include an image, gets no drafts this step.
    /// </summary>
    internal void Draft(Span<DraftWork> work)
    {
        // Catch-up: every slot's draft sequence is brought to its history (cached tokens + pending), logits for the last.
        _batch.Clear();
        for (var i = 0; i < work.Length; i++)
        {
            ref var w = ref work[i];
            w.Count = 0;
            _rows[i] = -1;
            var slot = w.Slot;
            var cached = _cached[slot.Index];
            _history.Clear();
            _history.AddRange(slot.Cached);
            _history.Add(w.Pending);
            var history = CollectionsMarshal.AsSpan(_history);
            var common = Math.Min(TokenPrefix.CommonLength(CollectionsMarshal.AsSpan(cached), history), history.Length - 1);
            if (common < cached.Count)
            {
                _context.SeqRemove(slot.Seq, common, -1);
                cached.RemoveRange(common, cached.Count - common);
            }

            var room = _batch.Capacity - _batch.Count;
            var missing = history.Length - common;
            if (room <= 0)
            {
                continue;
            }

            var feed = Math.Min(room, missing);
            var usable = true;
            for (var t = common; t < common + feed; t++)
            {
                if (history[t].Value < 0)
                {
                    usable = false; // an image position: the draft model cannot follow this sequence
                    break;
                }
            }

            if (!usable)
            {
                continue;
            }

            for (var t = common; t < common + feed; t++)
            {
                var last = t == history.Length - 1;
                if (last)
                {
                    _rows[i] = _batch.Count;
                }

                _batch.Add(history[t], t, slot.Seq, logits: last);
                cached.Add(history[t]);
            }
        }

        if (!TryDecode(work))
        {
            return;
        }

        // The first draft token of every caught-up slot, then one decode per further position for all of them.
        for (var round = 0; ; round++)
        {
            var any = false;
            for (var i = 0; i < work.Length; i++)
            {
                ref var w = ref work[i];
                if (_rows[i] < 0 || w.Count >= w.Max)
                {
                    _rows[i] = -1;
                    continue;
                }

                var token = new LlamaToken(TensorPrimitives.IndexOfMax<float>(_context.GetLogits(_rows[i])));
                w.Drafts[w.Count++] = token;
                _rows[i] = -1;
                if (w.Count < w.Max && !_model.Vocab.IsEog(token))
                {
                    any = true;
                }
            }

            if (!any)
            {
                return;
            }

            _batch.Clear();
            for (var i = 0; i < work.Length; i++)
            {
                ref var w = ref work[i];
                if (w.Count == 0 || w.Count >= w.Max || _model.Vocab.IsEog(w.Drafts[w.Count - 1]))
                {
                    continue;
                }

                var cached = _cached[w.Slot.Index];
                if (cached.Count != w.Slot.Cached.Count + w.Count)
                {
                    continue; // not at the drafted position (cannot happen; keeps the positions honest)
                }

                _rows[i] = _batch.Count;
                var token = w.Drafts[w.Count - 1];
                _batch.Add(token, cached.Count, w.Slot.Seq, logits: true);
                cached.Add(token);
            }

            if (_batch.Count == 0 || !TryDecode(work))
            {
                return;
            }
        }
    }

    /// <summary>
    /// Why <paramref name="draft"/> cannot draft for <paramref name="target"/>, or null when it can: its tokens must be
    /// the target's, id for id (the target checks the draft's token ids as its own), with the same special tokens.
    /// </summary>
    public static string? Incompatibility(LlamaModel target, LlamaModel draft)
    {
        var a = target.Vocab;
        var b = draft.Vocab;
        if (a.Type != b.Type || a.Count != b.Count)
        {
            return $"the draft model's vocabulary ({b.Type}, {b.Count} tokens) differs from the model's ({a.Type}, {a.Count} tokens)";
        }

        if (a.Bos != b.Bos || a.Eos != b.Eos || a.AddBos != b.AddBos)
        {
            return "the draft model's special tokens differ from the model's";
        }

        for (var i = 0; i < a.Count; i++)
        {
            var token = new LlamaToken(i);
            if (!string.Equals(a.GetText(token), b.GetText(token), StringComparison.Ordinal))
            {
                return $"the draft model's token {i} differs from the model's";
            }
        }

        return null;
    }

    public void Dispose()
    {
        _batch.Dispose();
        _context.Dispose();
        _model.Dispose();
    }

    /// <summary>Decodes the draft batch; on failure forgets every draft sequence (they are rebuilt next time) and drafts nothing more.</summary>
    private bool TryDecode(Span<DraftWork> work)
    {
        if (_batch.Count == 0)
        {
            return true;
        }

        if (_context.TryDecode(_batch) == 0)
        {
            return true;
        }

        _context.ClearMemory();
        foreach (var cached in _cached)
        {
            cached.Clear();
        }

        Array.Fill(_rows, -1);
        return false;
    }
}
