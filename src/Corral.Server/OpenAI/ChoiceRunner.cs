using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Corral.Server.Inference;

namespace Corral.Server.OpenAI;

/// <summary>
/// Runs the <c>n</c> completions of one request concurrently (each in its own runner slot) and merges
/// their events in arrival order. The first is prepared by the caller, so a failure to load the model
/// is still an HTTP error; the others prepare inside their tasks, since with fewer slots than choices a
/// later one can only get a slot once an earlier one finishes.
/// </summary>
internal static class ChoiceRunner
{
    public static async IAsyncEnumerable<ChoiceEvent> RunAsync(
        PreparedCompletion first,
        int count,
        Func<int, CancellationToken, Task<PreparedCompletion>> prepare,
        [EnumeratorCancellation] CancellationToken cancellation)
    {
        if (count == 1)
        {
            await foreach (var e in first.EventsAsync(cancellation).ConfigureAwait(false))
            {
                yield return new ChoiceEvent(0, e);
            }

            yield break;
        }

        var channel = Channel.CreateBounded<ChoiceEvent>(new BoundedChannelOptions(256) { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var pumps = new Task[count];
        pumps[0] = PumpAsync(0, first, channel.Writer, stop.Token);
        for (var i = 1; i < count; i++)
        {
            var index = i;
            pumps[i] = Task.Run(
                async () =>
                {
                    var prepared = await prepare(index, stop.Token).ConfigureAwait(false);
                    await using (prepared.ConfigureAwait(false))
                    {
                        await PumpAsync(index, prepared, channel.Writer, stop.Token).ConfigureAwait(false);
                    }
                },
                stop.Token);
        }

        var all = Task.WhenAll(pumps).ContinueWith(
            t =>
            {
                // A failing choice fails the whole request; stop the others too.
                if (t.IsFaulted)
                {
                    stop.Cancel();
                }

                channel.Writer.TryComplete(t.Exception?.InnerException);
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        try
        {
            await foreach (var item in channel.Reader.ReadAllAsync(cancellation).ConfigureAwait(false))
            {
                yield return item;
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await all.ConfigureAwait(false);
        }
    }

    private static async Task PumpAsync(int index, PreparedCompletion prepared, ChannelWriter<ChoiceEvent> writer, CancellationToken cancellation)
    {
        await foreach (var e in prepared.EventsAsync(cancellation).ConfigureAwait(false))
        {
            await writer.WriteAsync(new ChoiceEvent(index, e), cancellation).ConfigureAwait(false);
        }
    }
}
