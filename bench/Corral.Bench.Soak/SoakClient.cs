using System.Diagnostics;

namespace Corral.Bench.Soak;

/// <summary>
/// One simulated client: draws an action from <see cref="TrafficMix"/>, sends it, records the outcome, and again,
/// until <c>stop</c>. A request in flight when the time is up finishes (it is not cancelled, which would read as a
/// failure); only <c>abort</c> (Ctrl-C) cuts it.
/// </summary>
internal sealed class SoakClient(HttpClient http, RouteBook book, TimeSpan requestTimeout, int seed)
{
    private readonly Random _random = new(seed);
    private SoakCalls? _calls;

    public async Task RunAsync(CancellationToken stop, CancellationToken abort)
    {
        while (!stop.IsCancellationRequested && !abort.IsCancellationRequested)
        {
            await SendAsync(TrafficMix.Pick(_random), abort).ConfigureAwait(false);
        }
    }

    /// <summary>Sends one request of <paramref name="action"/>'s kind and records how it went.</summary>
    public async Task SendAsync(SoakAction action, CancellationToken abort)
    {
        var calls = _calls ??= new SoakCalls(http, _random);
        var route = book[action.Route];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(abort);
        timeout.CancelAfter(requestTimeout);
        var started = Stopwatch.GetTimestamp();
        var ticket = book.Begin(action.Route);
        try
        {
            await action.Send(calls, timeout.Token).ConfigureAwait(false);
            route.RecordSuccess(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            // Ctrl-C: not the server's doing.
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            route.RecordError($"timeout: no answer in {requestTimeout.TotalSeconds:0} s");
        }
        catch (SoakFailure failure)
        {
            route.RecordError(failure.Kind);
        }
        catch (Exception e)
        {
            // Transport failures (reset, refused, cut streams) and anything unexpected in an answer's shape.
            route.RecordError(ErrorKinds.Exception(e));
        }
        finally
        {
            book.End(ticket);
        }
    }
}
