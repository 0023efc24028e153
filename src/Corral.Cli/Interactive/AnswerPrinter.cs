using Corral.Cli.Output;

namespace Corral.Cli.Interactive;

/// <summary>
/// Writes a streamed answer: thinking (between "Thinking..." and "...done thinking.", grey on a terminal, unless
/// hidden), then the content, word-wrapped to the terminal when asked.
/// </summary>
internal sealed class AnswerPrinter
{
    private const string Grey = "\u001b[90m";
    private const string Reset = "\u001b[0m";
    private readonly TextWriter _writer;
    private readonly WordWrapper _wrapper;
    private readonly bool _hideThinking;
    private readonly bool _colors;
    private bool _thinking;

    public AnswerPrinter(TextWriter writer, int wrapWidth, bool hideThinking, bool colors)
    {
        _writer = writer;
        _wrapper = new WordWrapper(writer, wrapWidth);
        _hideThinking = hideThinking;
        _colors = colors;
    }

    /// <summary>True once any content or visible thinking was written.</summary>
    public bool WroteAnything { get; private set; }

    public void Thinking(string? text)
    {
        if (string.IsNullOrEmpty(text) || _hideThinking)
        {
            return;
        }

        if (!_thinking)
        {
            _thinking = true;
            _writer.Write(_colors ? Grey + "Thinking...\n" : "Thinking...\n");
        }

        _wrapper.Write(text);
        WroteAnything = true;
    }

    public void Content(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        EndThinking();
        _wrapper.Write(text);
        WroteAnything = true;
    }

    public void Finish()
    {
        EndThinking();
        _wrapper.Flush();
    }

    private void EndThinking()
    {
        if (!_thinking)
        {
            return;
        }

        _thinking = false;
        _wrapper.ResetColumn();
        _writer.Write(_colors ? "\n...done thinking.\n\n" + Reset : "\n...done thinking.\n\n");
    }
}
