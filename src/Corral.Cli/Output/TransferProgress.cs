using Corral.Api.Ollama;

namespace Corral.Cli.Output;

/// <summary>
/// Turns the progress lines of pull, push and create into the display: a bar per digest ("pulling 6a0746a1ec1a:"),
/// a spinner per status change ("pulling manifest", "writing manifest", "success").
/// </summary>
internal sealed class TransferProgress
{
    private readonly ProgressDisplay _display;
    private readonly string _barVerb;
    private string? _status;

    /// <param name="display">The terminal display the bars and spinners are drawn on.</param>
    /// <param name="barVerb">"pulling" or "pushing": the word before each bar's short digest.</param>
    public TransferProgress(ProgressDisplay display, string barVerb)
    {
        _display = display;
        _barVerb = barVerb;
    }

    /// <param name="progress">One progress line from the server.</param>
    /// <param name="useStatusForBars">Create labels bars with the status text when there is one, as ollama does.</param>
    public void Apply(ProgressResponse progress, bool useStatusForBars = false)
    {
        if (!string.IsNullOrEmpty(progress.Digest))
        {
            if (progress.Completed == 0)
            {
                _display.StopSpinners();
            }

            var label = useStatusForBars && progress.Status.Length > 0 ? progress.Status : $"{_barVerb} {ShortDigest.Of(progress.Digest)}:";
            var bar = _display.GetOrAdd(progress.Digest, () => new ProgressBar(label, progress.Total, progress.Completed));
            bar.Set(progress.Completed, progress.Total);
            return;
        }

        if (progress.Status != _status)
        {
            _status = progress.Status;
            _display.Status(progress.Status);
        }
    }
}
