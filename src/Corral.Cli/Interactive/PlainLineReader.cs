namespace Corral.Cli.Interactive;

/// <summary>Line input without editing, for when the terminal cannot be read key by key.</summary>
internal sealed class PlainLineReader(TextReader input, TextWriter output) : ILineReader
{
    public (LineStatus Status, string Text) ReadLine(string prompt, string? placeholder)
    {
        output.Write(prompt);
        output.Flush();
        var line = input.ReadLine();
        return line is null ? (LineStatus.EndOfInput, string.Empty) : (LineStatus.Line, line);
    }
}
