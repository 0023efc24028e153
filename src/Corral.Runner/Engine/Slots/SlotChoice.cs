namespace Corral.Runner.Engine.Slots;

/// <summary>
/// Which free slot a new request takes. With a KV stream per sequence (llama.cpp's default, and the runner's), llama.cpp
/// evaluates a batch's sequences together only while their ids run consecutively: a step whose generating slots are
/// 0, 1, 5 and 6 is computed as two graphs, each reading every weight, each with half the rows (2–4 rows go through
/// the repacked kernels' one-row path). On a 2-core CPU that made 4 streams spread over 8 slots ~25 % slower per token
/// than 4 streams in consecutive slots. So a request first takes a free slot next to busy ones (filling a gap before
/// extending a run, never opening a new run while one can grow, and closing gaps before growing outward), and only then the slot sharing the longest prefix
/// with its prompt, then the least recently used. Placement costs nothing in prefix reuse: a longer prefix held by
/// another slot is copied into the chosen one (<see cref="SlotTable"/>'s sequence copy, a memcpy of its KV).
/// </summary>
internal static class SlotChoice
{
    /// <summary>The index of the slot to take, or -1 when every slot is busy.</summary>
    /// <param name="busy">Whether each slot holds a request.</param>
    /// <param name="prefix">For each slot, how many leading prompt tokens its KV holds (ignored for busy slots).</param>
    /// <param name="lastUsed">For each slot, its last-use stamp (lower is older).</param>
    public static int Pick(ReadOnlySpan<bool> busy, ReadOnlySpan<int> prefix, ReadOnlySpan<long> lastUsed)
    {
        var firstBusy = busy.IndexOf(true);
        var lastBusy = busy.LastIndexOf(true);
        var best = -1;
        var bestScore = -1;
        for (var i = 0; i < busy.Length; i++)
        {
            if (busy[i])
            {
                continue;
            }

            // Busy neighbours count most (two closes a gap, one extends a run); then being inside a gap, so that a
            // gap two wide is closed by the next request rather than kept while a run grows at its outer end.
            var neighbours = (i > 0 && busy[i - 1] ? 1 : 0) + (i + 1 < busy.Length && busy[i + 1] ? 1 : 0);
            var score = (2 * neighbours) + (i > firstBusy && i < lastBusy ? 1 : 0);
            if (best < 0
                || score > bestScore
                || (score == bestScore && (prefix[i] > prefix[best] || (prefix[i] == prefix[best] && lastUsed[i] < lastUsed[best]))))
            {
                best = i;
                bestScore = score;
            }
        }

        return best;
    }
}
