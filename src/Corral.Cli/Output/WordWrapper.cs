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
    private int _pendingSpaces;
    private bool _insideLongWord;

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
                    _pendingSpaces = 0;
                    _writer.Write('\n');
                    Column = 0;
                    break;
                case ' ':
                    // Spaces wait for the next word: if that word moves to a new line, they are dropped.
                    EmitWord();
                    _pendingSpaces++;
                    break;
                default:
                    _word.Append(rune.ToString());
                    _wordWidth += DisplayWidth.Of(rune);
                    if (_wordWidth > Width)
                    {
                        // A word longer than a whole line cannot fit anywhere: let it run.
                        EmitWord();
                        _insideLongWord = true;
                    }

                    break;
            }
        }
    }

    /// <summary>Writes a held-back word (call when the answer ends).</summary>
    public void Flush()
    {
        EmitWord();
        if (_pendingSpaces > 0 && Width > 0)
        {
            _writer.Write(new string(' ', _pendingSpaces));
            Column += _pendingSpaces;
            _pendingSpaces = 0;
        }

        _writer.Flush();
    }

    /// <summary>Forgets the column after something else wrote a newline.</summary>
    public void ResetColumn()
    {
        EmitWord();
        _pendingSpaces = 0;
        Column = 0;
    }

    private void EmitWord()
    {
        if (_word.Length == 0)
        {
            _insideLongWord = false;
            return;
        }

        var continuing = _insideLongWord;
        _insideLongWord = false;
        if (!continuing && Column > 0 && Column + _pendingSpaces + _wordWidth > Width)
        {
            _writer.Write('\n');
            Column = 0;
        }
        else if (_pendingSpaces > 0)
        {
            _writer.Write(new string(' ', _pendingSpaces));
            Column += _pendingSpaces;
        }

        _pendingSpaces = 0;

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
