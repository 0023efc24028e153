namespace Corral.Bench.Common;

/// <summary>
/// Everything a bench started (servers, temp folders), undone once: at the normal end, after an
/// exception or Ctrl-C (through <see cref="BenchMain"/>'s finally), and on SIGTERM (ProcessExit), newest first.
/// </summary>
public sealed class Cleanup
{
    private readonly List<IAsyncDisposable> _items = [];
    private bool _done;

    public Cleanup() => AppDomain.CurrentDomain.ProcessExit += (_, _) => Run();

    public T Add<T>(T item)
        where T : IAsyncDisposable
    {
        lock (_items)
        {
            if (_done)
            {
                throw new OperationCanceledException("shutting down");
            }

            _items.Add(item);
        }

        return item;
    }

    public void Run()
    {
        List<IAsyncDisposable> items;
        lock (_items)
        {
            if (_done)
            {
                return;
            }

            _done = true;
            items = Enumerable.Reverse(_items).ToList();
        }

        foreach (var item in items)
        {
            try
            {
                item.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
            catch (Exception e)
            {
                Console.Error.WriteLine($"cleanup: {e.Message}");
            }
        }
    }
}
