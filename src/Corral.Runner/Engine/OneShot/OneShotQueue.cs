using System.Collections.Concurrent;
using Corral.Llama;

namespace Corral.Runner.Engine.OneShot;

/// <summary>
/// Requests answered in one go on the engine thread (embeddings, rerank): callers enqueue from any thread and await;
/// the engine drains the queue between batch steps, since the llama context is not thread-safe. What the client got
/// wrong (<see cref="InvalidCompletionException"/>) is answered as a refusal, failures inside llama.cpp as errors.
/// </summary>
internal sealed class OneShotQueue<TRequest, TResponse>(Func<string, bool, TResponse> failure)
{
    private readonly ConcurrentQueue<Pending> _queue = new();

    public Task<TResponse> Enqueue(TRequest request, CancellationToken cancellation)
    {
        var pending = new Pending(request, cancellation);
        _queue.Enqueue(pending);
        return pending.Completion.Task;
    }

    /// <summary>Answers everything queued with <paramref name="handle"/>; runs on the engine thread.</summary>
    public void Serve(Func<TRequest, TResponse> handle)
    {
        while (_queue.TryDequeue(out var pending))
        {
            if (pending.Cancellation.IsCancellationRequested)
            {
                pending.Completion.TrySetCanceled(pending.Cancellation);
                continue;
            }

            try
            {
                pending.Completion.TrySetResult(handle(pending.Request));
            }
            catch (InvalidCompletionException ex)
            {
                pending.Completion.TrySetResult(failure(ex.Message, true));
            }
            catch (Exception ex) when (ex is LlamaException or ArgumentException)
            {
                pending.Completion.TrySetResult(failure(ex.Message, false));
            }
        }
    }

    /// <summary>Answers everything still queued with an error (the engine is stopping).</summary>
    public void FailAll(string reason)
    {
        while (_queue.TryDequeue(out var pending))
        {
            pending.Completion.TrySetResult(failure(reason, false));
        }
    }

    private sealed class Pending(TRequest request, CancellationToken cancellation)
    {
        public TRequest Request { get; } = request;

        public CancellationToken Cancellation { get; } = cancellation;

        public TaskCompletionSource<TResponse> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
