namespace Corral.Cli.Interactive;

/// <summary>
/// A line typed at the prompt that starts with "/": its command word and arguments, split on blanks.
/// <see cref="Rest"/> keeps the raw text after the first <paramref name="Words"/>' leading words for commands that take free text
/// (<c>/set system You are a pirate.</c>).
/// </summary>
internal sealed record SlashCommand(IReadOnlyList<string> Words, string Line)
{
    public string Name => Words.Count > 0 ? Words[0] : string.Empty;

    public string Arg(int index) => index < Words.Count ? Words[index] : string.Empty;

    /// <summary>True for a line that is a command rather than a message (image paths like "/tmp/a.png" are messages).</summary>
    public static bool IsCommand(string line) =>
        line.StartsWith('/') && !ImagePaths.LooksLikeImagePath(line.Split(' ', 2)[0]);

    public static SlashCommand Parse(string line) =>
        new(line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries), line);

    /// <summary>The raw text after the first <paramref name="count"/> words, trimmed.</summary>
    public string Rest(int count)
    {
        var text = Line.TrimStart();
        for (var i = 0; i < count && text.Length > 0; i++)
        {
            var space = text.IndexOfAny([' ', '\t']);
            text = space < 0 ? string.Empty : text[space..].TrimStart();
        }

        return text;
    }
}
