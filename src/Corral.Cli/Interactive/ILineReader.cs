namespace Corral.Cli.Interactive;

/// <summary>Reads one line at a prompt.</summary>
internal interface ILineReader
{
    (LineStatus Status, string Text) ReadLine(string prompt, string? placeholder);
}
