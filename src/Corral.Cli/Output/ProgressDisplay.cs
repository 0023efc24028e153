using System.Text;

namespace Corral.Cli.Output;

/// <summary>
/// Draws a growing list of progress lines (bars and spinners) on stderr, redrawing in place every 100 ms on a
/// terminal. When stderr is not a terminal (piped, in tests) nothing animates: each line is written once, in
/// its final state, when the display stops, so logs stay readable.
/// </summary>
internal sealed class ProgressDisplay : IAsyncDisposable
{
    private readonly TextWriter _writer;
    private readonly bool _interactive;
    private readonly List<IProgressLine> _lines = [];
    private readonly Dictionary<string, IProgressLine> _byKey = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _ticker;
    private int _drawnLines;
    private bool _stopped;

    public ProgressDisplay(TextWriter writer, bool interactive)
    {
        _writer = writer;
        _interactive = interactive;
        _ticker = interactive ? TickAsync(_stop.Token) : Task.CompletedTask;
    }

    /// <summary>For stderr: animated when it is a terminal.</summary>
    public static ProgressDisplay ForStandardError() => new(Console.Error, !Console.IsErrorRedirected);

    public IReadOnlyList<IProgressLine> Lines
    {
        get
        {
            lock (_gate)
            {
                return _lines.ToArray();
            }
        }
    }

    /// <summary>Adds a line under <paramref name="key"/>, or returns the one already there.</summary>
    public T GetOrAdd<T>(string key, Func<T> create)
        where T : IProgressLine
    {
        lock (_gate)
        {
            if (_byKey.TryGetValue(key, out var existing) && existing is T typed)
            {
                return typed;
            }

            var line = create();
            _byKey[key] = line;
            _lines.Add(line);
            return line;
        }
    }

    /// <summary>Stops any running spinner, then adds a new spinner line with <paramref name="message"/>.</summary>
    public Spinner Status(string message)
    {
        lock (_gate)
        {
            StopSpinners();
            var spinner = new Spinner(message);
            _lines.Add(spinner);
            return spinner;
        }
    }

    public void StopSpinners()
    {
        lock (_gate)
        {
            foreach (var spinner in _lines.OfType<Spinner>())
            {
                spinner.Stop();
            }
        }
    }

    /// <summary>
    /// Final draw; on a terminal the lines stay on screen and the cursor comes back. With <paramref name="clear"/>
    /// the lines disappear instead (the "loading" spinner before an answer).
    /// </summary>
    public async Task StopAsync(bool clear = false)
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _ticker.ConfigureAwait(false);
        lock (_gate)
        {
            StopSpinners();
            if (_interactive && clear)
            {
                _writer.Write(_drawnLines > 1 ? $"\u001b[{_drawnLines - 1}A\r\u001b[J" : "\r\u001b[J");
                _writer.Write("\u001b[?25h");
            }
            else if (clear)
            {
                // Nothing was drawn off a terminal.
            }
            else if (_interactive)
            {
                Draw();
                _writer.Write("\u001b[?25h");
            }
            else
            {
                foreach (var line in _lines)
                {
                    _writer.WriteLine(line.Render(80).TrimEnd());
                }
            }

            _writer.Flush();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        _writer.Write("\u001b[?25l");
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                lock (_gate)
                {
                    Draw();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    // Moves back to the first drawn line and rewrites every line, clearing what was there.
    private void Draw()
    {
        var width = TerminalWidth();
        var text = new StringBuilder();
        if (_drawnLines > 1)
        {
            text.Append($"\u001b[{_drawnLines - 1}A");
        }

        text.Append('\r');
        for (var i = 0; i < _lines.Count; i++)
        {
            if (i > 0)
            {
                text.Append('\n');
            }

            text.Append("\u001b[2K").Append(_lines[i].Render(width));
        }

        if (_lines.Count > 0 && _stopped)
        {
            text.Append('\n');
        }

        _drawnLines = _stopped ? 0 : _lines.Count;
        _writer.Write(text.ToString());
        _writer.Flush();
    }

    internal static int TerminalWidth()
    {
        try
        {
            return Console.IsOutputRedirected && Console.IsErrorRedirected ? 80 : Math.Max(Console.WindowWidth, 20);
        }
        catch (IOException)
        {
            return 80;
        }
    }
}
