namespace Corral.Cli.Interactive;

internal enum LineStatus
{
    /// <summary>Enter was pressed.</summary>
    Line,

    /// <summary>Ctrl-C at the prompt.</summary>
    Interrupt,

    /// <summary>Ctrl-D on an empty line, or end of input.</summary>
    EndOfInput,
}
