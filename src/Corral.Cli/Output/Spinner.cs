namespace Corral.Cli.Output;

/// <summary>A status line with a braille spinner after it ("pulling manifest ⠙"); stopped, the message stays alone.</summary>
internal sealed class Spinner : IProgressLine
{
    private static readonly string[] Frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
    private readonly long _startTicks = Environment.TickCount64;

    public Spinner(string message) => Message = message;

    public string Message { get; set; }

    public bool IsStopped { get; private set; }

    public void Stop() => IsStopped = true;

    public string Render(int width)
    {
        var message = Message.Trim();
        var text = message.Length > 0 ? message + " " : string.Empty;
        if (!IsStopped)
        {
            text += Frames[(int)((Environment.TickCount64 - _startTicks) / 100 % Frames.Length)] + " ";
        }

        return text;
    }
}
