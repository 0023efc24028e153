using System.Text;

namespace Corral.Cli.Output;

/// <summary>
/// A borderless table like the one the <c>ollama</c> CLI prints: every cell but the last of a row padded to its
/// column's width, columns separated by <see cref="Separator"/> (a tab for list/ps, which a terminal expands to the
/// next tab stop; four spaces for show's sections).
/// </summary>
internal sealed class TextTable
{
    private readonly List<string[]> _rows = [];

    public TextTable(string separator) => Separator = separator;

    public string Separator { get; }

    public void AddRow(params string[] cells) => _rows.Add(cells);

    public int RowCount => _rows.Count;

    public string Render()
    {
        var columns = _rows.Count == 0 ? 0 : _rows.Max(r => r.Length);
        var widths = new int[columns];
        foreach (var row in _rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], DisplayWidth.Of(row[i]));
            }
        }

        var text = new StringBuilder();
        foreach (var row in _rows)
        {
            var line = new StringBuilder();
            for (var i = 0; i < row.Length; i++)
            {
                if (i > 0)
                {
                    line.Append(Separator);
                }

                line.Append(row[i]);
                if (i < row.Length - 1)
                {
                    line.Append(' ', widths[i] - DisplayWidth.Of(row[i]));
                }
            }

            text.Append(line.ToString().TrimEnd()).Append('\n');
        }

        return text.ToString();
    }
}
