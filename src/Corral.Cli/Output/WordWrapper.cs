namespace Corral.Cli.Output;

/// <summary>
/// Streams text to a writer, breaking lines between words so none runs past <see cref="Width"/> columns. A word
/// is held back until its end is seen (a space, a newline or <see cref="Flush"/>), then moved to a new line
/// first when it would not fit. A width of 0 writes everything through unchanged.
/// </summary>
internal sealed class WordWrapper
{
    private readonly TextWriter _writer;
    private readonly System.Text.StringBuilder _word = new();
    private int _wordWidth;

    public WordWrapper(TextWriter writer, int width)
    {
        _writer = writer;
        Width = width;
    }

    public int Width { get; }

    /// <summary>The column the next character lands in.</summary>
    public int Column { get; private set; }

    public void Write(string text)
    {
        if (Width <= 0)
        {
            _writer.Write(text);
            return;
        }

        foreach (var rune in text.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '\n':
                    EmitWord();
                    _writer.Write('\n');
                    Column = 0;
                    break;
                case ' ':
                    EmitWord();
                    if (Column + 1 > Width)
                    {
                        // The space would overflow: it becomes the line break.
                        _writer.Write('\n');
                        Column = 0;
                    }
                    else
                    {
                        _writer.Write(' ');
                        Column++;
                    }

                    break;
                default:
                    _word.Append(rune.ToString());
                    _wordWidth += DisplayWidth.Of(rune);
                    break;
            }
        }

        // A word longer than a whole line cannot fit anywhere: let it run.
        if (_wordWidth > Width)
        {
            EmitWord();
        }
    }

    /// <summary>Writes a held-back word (call when the answer ends).</summary>
    public void Flush()
    {
        EmitWord();
        _writer.Flush();
    }

    /// <summary>Forgets the column after something else wrote a newline.</summary>
    public void ResetColumn()
    {
        EmitWord();
        Column = 0;
    }

    private void EmitWord()
    {
        if (_word.Length == 0)
        {
            return;
        }

        if (Column > 0 && Column + _wordWidth > Width)
        {
            _writer.Write('\n');
            Column = 0;
        }

        _writer.Write(_word.ToString());
        Column += _wordWidth;
        if (Column > Width)
        {
            // An overlong word wrapped by the terminal itself.
            Column %= Width;
        }

        _word.Clear();
        _wordWidth = 0;
    }
}
