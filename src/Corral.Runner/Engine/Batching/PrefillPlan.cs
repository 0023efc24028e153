namespace Corral.Runner.Engine.Batching;

/// <summary>
/// How a step shares its batch between prompts still being evaluated. Shortest remaining prompt first, and once a
/// prompt completes in this batch, at most <c>chunk</c> prompt tokens in all: a batch that finishes one prompt is not
/// held back to advance others, so prompts arriving together get their first tokens one after another instead of all
/// together after the longest (when several arrive at once, mean time to first token roughly halves at the same
/// throughput: on a CPU a decode costs about the same per token from a few dozen tokens up). The oldest prompt always
/// gets a chunk first, so a stream of short prompts cannot starve a long one; a prompt alone gets the whole room.
/// </summary>
internal static class PrefillPlan
{
    /// <summary>Candidate indices, shortest remaining prompt first, ties to the one that started first.</summary>
    public static void Order(Span<int> indices, ReadOnlySpan<int> remaining, ReadOnlySpan<long> started)
    {
        // Insertion sort: a handful of slots, and no allocation on the engine thread.
        for (var i = 1; i < indices.Length; i++)
        {
            var current = indices[i];
            var j = i - 1;
            while (j >= 0 && Before(current, indices[j], remaining, started))
            {
                indices[j + 1] = indices[j];
                j--;
            }

            indices[j + 1] = current;
        }
    }

    private static bool Before(int a, int b, ReadOnlySpan<int> remaining, ReadOnlySpan<long> started) =>
        remaining[a] < remaining[b] || (remaining[a] == remaining[b] && started[a] < started[b]);

    /// <summary>
    /// Calls <paramref name="feed"/>(candidate, limit) in plan order: the oldest candidate first with up to
    /// <paramref name="chunk"/> tokens, then the others by <paramref name="order"/> (the oldest again, for what is left),
    /// each with the room left, or once any prompt has completed, with what keeps the batch's prompt tokens within the
    /// chunk. <paramref name="feed"/> adds tokens and says how many and whether that candidate's prompt is now complete.
    /// </summary>
    /// <returns>Prompt tokens added in all.</returns>
    public static int Fill(int oldest, ReadOnlySpan<int> order, int room, int chunk, Func<int, int, (int Added, bool Completed)> feed)
    {
        var (added, completed) = feed(oldest, Math.Min(chunk, room));
        foreach (var candidate in order)
        {
            var left = room - added;
            var limit = completed ? Math.Min(left, chunk - added) : left;
            if (limit <= 0)
            {
                break;
            }

            var (more, done) = feed(candidate, limit);
            added += more;
            completed |= done;
        }

        return added;
    }
}
