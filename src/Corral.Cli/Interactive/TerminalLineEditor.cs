using System.Text;

namespace Corral.Cli.Interactive;

/// <summary>
/// A small line editor for the interactive prompt on a terminal: cursor keys, Home/End, Ctrl-A/E/K/U/W/L,
/// history with Up/Down, Ctrl-C (interrupt) and Ctrl-D (exit on an empty line); a grey placeholder on an empty line.
/// </summary>
internal sealed class TerminalLineEditor(History history) : ILineReader
{
    public (LineStatus Status, string Text) ReadLine(string prompt, string? placeholder)
    {
        var buffer = new StringBuilder();
        var cursor = 0;
        var historyIndex = history.Lines.Count;
        var treatControlC = Console.TreatControlCAsInput;
        Console.TreatControlCAsInput = true;
        try
        {
            Redraw(prompt, placeholder, buffer, cursor);
            while (true)
            {
                var key = Console.ReadKey(intercept: true);
                var control = (key.Modifiers & ConsoleModifiers.Control) != 0;
                switch (key.Key)
                {
                    case ConsoleKey.Enter:
                        Console.Write("\r\n");
                        var line = buffer.ToString();
                        history.Add(line);
                        return (LineStatus.Line, line);
                    case ConsoleKey.C when control:
                        Console.Write("\r\n");
                        return (LineStatus.Interrupt, buffer.ToString());
                    case ConsoleKey.D when control:
                        if (buffer.Length == 0)
                        {
                            Console.Write("\r\n");
                            return (LineStatus.EndOfInput, string.Empty);
                        }

                        if (cursor < buffer.Length)
                        {
                            buffer.Remove(cursor, 1);
                        }

                        break;
                    case ConsoleKey.Backspace:
                        if (cursor > 0)
                        {
                            buffer.Remove(--cursor, 1);
                        }

                        break;
                    case ConsoleKey.Delete:
                        if (cursor < buffer.Length)
                        {
                            buffer.Remove(cursor, 1);
                        }

                        break;
                    case ConsoleKey.LeftArrow or ConsoleKey.B when key.Key == ConsoleKey.LeftArrow || control:
                        cursor = Math.Max(0, cursor - 1);
                        break;
                    case ConsoleKey.RightArrow or ConsoleKey.F when key.Key == ConsoleKey.RightArrow || control:
                        cursor = Math.Min(buffer.Length, cursor + 1);
                        break;
                    case ConsoleKey.Home or ConsoleKey.A when key.Key == ConsoleKey.Home || control:
                        cursor = 0;
                        break;
                    case ConsoleKey.End or ConsoleKey.E when key.Key == ConsoleKey.End || control:
                        cursor = buffer.Length;
                        break;
                    case ConsoleKey.K when control:
                        buffer.Remove(cursor, buffer.Length - cursor);
                        break;
                    case ConsoleKey.U when control:
                        buffer.Remove(0, cursor);
                        cursor = 0;
                        break;
                    case ConsoleKey.W when control:
                        var start = cursor;
                        while (start > 0 && buffer[start - 1] == ' ')
                        {
                            start--;
                        }

                        while (start > 0 && buffer[start - 1] != ' ')
                        {
                            start--;
                        }

                        buffer.Remove(start, cursor - start);
                        cursor = start;
                        break;
                    case ConsoleKey.L when control:
                        Console.Write("\u001b[H\u001b[2J");
                        break;
                    case ConsoleKey.UpArrow or ConsoleKey.P when key.Key == ConsoleKey.UpArrow || control:
                        if (historyIndex > 0)
                        {
                            historyIndex--;
                            buffer.Clear().Append(history.Lines[historyIndex]);
                            cursor = buffer.Length;
                        }

                        break;
                    case ConsoleKey.DownArrow or ConsoleKey.N when key.Key == ConsoleKey.DownArrow || control:
                        if (historyIndex < history.Lines.Count)
                        {
                            historyIndex++;
                            buffer.Clear().Append(historyIndex < history.Lines.Count ? history.Lines[historyIndex] : string.Empty);
                            cursor = buffer.Length;
                        }

                        break;
                    default:
                        if (key.KeyChar >= ' ' || key.KeyChar == '\t')
                        {
                            buffer.Insert(cursor++, key.KeyChar == '\t' ? ' ' : key.KeyChar);
                        }

                        break;
                }

                Redraw(prompt, placeholder, buffer, cursor);
            }
        }
        finally
        {
            Console.TreatControlCAsInput = treatControlC;
        }
    }

    // Rewrites the whole line: prompt, text (or the grey placeholder), then puts the cursor in place.
    private static void Redraw(string prompt, string? placeholder, StringBuilder buffer, int cursor)
    {
        var text = new StringBuilder("\r\u001b[K").Append(prompt);
        if (buffer.Length == 0 && placeholder is not null)
        {
            text.Append("\u001b[90m").Append(placeholder).Append("\u001b[0m\r\u001b[").Append(prompt.Length).Append('C');
        }
        else
        {
            text.Append(buffer);
            var back = buffer.Length - cursor;
            if (back > 0)
            {
                text.Append("\u001b[").Append(back).Append('D');
            }
        }

        Console.Write(text.ToString());
    }
}
