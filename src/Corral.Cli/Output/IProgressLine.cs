namespace Corral.Cli.Output;

/// <summary>One line of a <see cref="ProgressDisplay"/>: a bar or a spinner.</summary>
internal interface IProgressLine
{
    /// <summary>The line's text for a terminal <paramref name="width"/> columns wide (no newline).</summary>
    string Render(int width);
}
