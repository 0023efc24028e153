namespace Corral.Cli.Interactive;

/// <summary>
/// Ctrl-C while an answer streams cancels that answer only: each answer takes a fresh token from
/// <see cref="Begin"/>, and the SIGINT handler cancels the newest one instead of ending the process.
/// </summary>
internal sealed class AnswerInterrupt : IDisposable
{
    private readonly Lock _gate = new();
    private CancellationTokenSource _current = new();

    public AnswerInterrupt() => Console.CancelKeyPress += OnCancelKeyPress;

    public CancellationToken Begin()
    {
        lock (_gate)
        {
            if (_current.IsCancellationRequested)
            {
                _current.Dispose();
                _current = new CancellationTokenSource();
            }

            return _current.Token;
        }
    }

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKeyPress;
        _current.Dispose();
    }

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        e.Cancel = true;
        lock (_gate)
        {
            _current.Cancel();
        }
    }
}
