using Corral.Llama;

namespace Corral.Runner.Engine.Batching;

/// <summary>
/// Where a full slot's context shift cuts. Ollama's rule is to keep <c>num_keep</c> tokens and drop half of the rest;
/// here the cut also never splits an image: an image's positions are a run of negative pseudo tokens in the slot's
/// cache, and a cut inside one would leave the model half an image (embeddings at positions that no longer line up
/// with the rest of it). So an image straddling the start of the dropped range is kept whole (the range starts after
/// it), and one straddling the end is dropped whole (the range ends after it). Adjacent images read as one run and
/// move together, which is conservative, never wrong.
/// </summary>
public static class ContextShift
{
    /// <summary>The range of cache positions to drop: [<c>Start</c>, <c>Start + Count</c>); Count is at least 1.</summary>
    /// <param name="cached">The slot's cache, oldest first; negative tokens are image positions.</param>
    /// <param name="numKeep">Tokens at the start that should survive every shift.</param>
    public static (int Start, int Count) Plan(IReadOnlyList<LlamaToken> cached, int numKeep)
    {
        var used = cached.Count;
        var start = Math.Clamp(numKeep, 0, Math.Max(0, used - 2));
        if (InsideImage(cached, start))
        {
            var after = ImageEnd(cached, start);
            // Keep the image whole when something after it can still go; otherwise it must go itself.
            start = after < used - 1 ? after : ImageStart(cached, start);
        }

        var end = start + Math.Max(1, (used - start) / 2);
        if (InsideImage(cached, end))
        {
            end = ImageEnd(cached, end); // a prompt never ends in an image, so this stays below used
        }

        return (start, end - start);
    }

    /// <summary>True when positions <paramref name="at"/> − 1 and <paramref name="at"/> both hold image positions: a cut there would split one.</summary>
    public static bool InsideImage(IReadOnlyList<LlamaToken> cached, int at) =>
        at > 0 && at < cached.Count && cached[at - 1].Value < 0 && cached[at].Value < 0;

    private static int ImageEnd(IReadOnlyList<LlamaToken> cached, int at)
    {
        while (at < cached.Count && cached[at].Value < 0)
        {
            at++;
        }

        return at;
    }

    private static int ImageStart(IReadOnlyList<LlamaToken> cached, int at)
    {
        while (at > 0 && cached[at - 1].Value < 0)
        {
            at--;
        }

        return at;
    }
}
