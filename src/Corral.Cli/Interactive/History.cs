namespace Corral.Cli.Interactive;

/// <summary>
/// Entered lines, kept in <c>~/.ollama/history</c> (the file ollama's prompt uses) unless
/// <c>OLLAMA_NOHISTORY</c> is set; the newest 100 are recalled with the arrow keys.
/// </summary>
internal sealed class History
{
    private const int Limit = 100;
    private readonly List<string> _lines = [];
    private readonly string? _path;

    public History(string? path)
    {
        _path = path;
        if (path is not null && File.Exists(path))
        {
            try
            {
                _lines.AddRange(File.ReadLines(path).Where(l => l.Length > 0).TakeLast(Limit));
            }
            catch (IOException)
            {
            }
        }
    }

    public static History ForUser()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OLLAMA_NOHISTORY")))
        {
            return new History(null);
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return new History(Path.Combine(home, ".ollama", "history"));
    }

    public IReadOnlyList<string> Lines => _lines;

    public bool Enabled { get; set; } = true;

    public void Add(string line)
    {
        if (!Enabled || line.Trim().Length == 0 || (_lines.Count > 0 && _lines[^1] == line))
        {
            return;
        }

        _lines.Add(line);
        if (_lines.Count > Limit)
        {
            _lines.RemoveAt(0);
        }

        if (_path is null)
        {
            return;
        }

        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            File.WriteAllLines(_path, _lines);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // History is a convenience; a read-only home must not end the session.
        }
    }
}
