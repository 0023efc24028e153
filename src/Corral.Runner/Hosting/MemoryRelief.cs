using System.Diagnostics;
using System.Runtime;

namespace Corral.Runner.Hosting;

/// <summary>
/// Gives memory back to the system after requests that carried tens of megabytes (a huge prompt or input list). Their
/// strings and arrays land on the large object heap, which .NET neither compacts nor returns by itself, so one such
/// request left the server at gigabytes of resident memory for good. After the last large request of a burst ends,
/// compacting, decommitting collections run at 1 s, 6 s (for buffers another request still held at the first) and
/// 65 s: the shared array pool drops arrays that went a minute unused only at a full collection, and JSON reading and
/// writing rent arrays as large as the biggest string. Each costs tens of milliseconds, only after large requests.
/// </summary>
public static class MemoryRelief
{
    /// <summary>Requests smaller than this never trigger a collection.</summary>
    public const long LargeRequestBytes = 16L * 1024 * 1024;

    private static readonly TimeSpan[] Passes = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(65)];

    private static readonly TimeSpan Nap = TimeSpan.FromMilliseconds(500);

    private static long s_lastLargeEnded;
    private static int s_running;

    /// <summary>Call when a request that read <paramref name="bodyBytes"/> bytes has ended.</summary>
    public static void AfterRequest(long bodyBytes)
    {
        if (bodyBytes < LargeRequestBytes)
        {
            return;
        }

        Volatile.Write(ref s_lastLargeEnded, Stopwatch.GetTimestamp());
        if (Interlocked.Exchange(ref s_running, 1) == 0)
        {
            _ = Task.Run(RelieveAsync);
        }
    }

    private static async Task RelieveAsync()
    {
        var seen = Volatile.Read(ref s_lastLargeEnded);
        var pass = 0;
        while (pass < Passes.Length)
        {
            var wait = Passes[pass] - Stopwatch.GetElapsedTime(seen);
            if (wait > TimeSpan.Zero)
            {
                // Short naps, so a large request that ends meanwhile restarts the passes without waiting out this one.
                await Task.Delay(wait < Nap ? wait : Nap).ConfigureAwait(false);
                if (Volatile.Read(ref s_lastLargeEnded) == seen)
                {
                    continue;
                }
            }

            var latest = Volatile.Read(ref s_lastLargeEnded);
            if (latest != seen)
            {
                // Another large request ended meanwhile: start the passes over from it.
                (seen, pass) = (latest, 0);
                continue;
            }

            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            pass++;
        }

        Volatile.Write(ref s_running, 0);
        if (Volatile.Read(ref s_lastLargeEnded) != seen && Interlocked.Exchange(ref s_running, 1) == 0)
        {
            _ = Task.Run(RelieveAsync); // one ended between the last pass and the flag's reset
        }
    }
}
