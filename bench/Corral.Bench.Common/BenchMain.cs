namespace Corral.Bench.Common;

/// <summary>
/// The shell every bench program runs in: the first Ctrl-C cancels the run cleanly (the body's token), a second
/// kills it outright; whatever the body registered with its <see cref="Cleanup"/> is undone however it ends.
/// </summary>
public static class BenchMain
{
    /// <summary>Runs <paramref name="body"/>; its exit code, or 130 when cancelled by Ctrl-C.</summary>
    public static async Task<int> RunAsync(Func<Cleanup, CancellationToken, Task<int>> body)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            if (!cancel.IsCancellationRequested)
            {
                e.Cancel = true;
                Console.Error.WriteLine("stopping ...");
                cancel.Cancel();
            }
        };
        var cleanup = new Cleanup();
        try
        {
            return await body(cleanup, cancel.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            Console.Error.WriteLine("cancelled");
            return 130;
        }
        finally
        {
            cleanup.Run();
        }
    }
}
